package dev.gunicornjvm.master.spawn;

import dev.gunicornjvm.common.pipe.WorkerMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads a worker's status pipe: one short line per message. A worker that writes a line longer than
 * {@link #MAX_LINE_BYTES} or one that is no message is faulty; reading stops there, so that a broken or
 * hostile worker can neither grow the master's heap nor make it act on garbage.
 */
public final class StatusPipeReader {
    /** Real messages are a few dozen bytes; a boot failure's reason is cut to fit. */
    public static final int MAX_LINE_BYTES = 4096;

    /** What the reader found; called on the reader's thread. */
    public interface Listener {
        void said(WorkerMessage message);

        /** The worker wrote something that is no message; nothing more is read from it. */
        void faulty(String why);

        /** End of the pipe (the worker exited or closed it), or the reader gave up after {@link #faulty}. */
        void closed();
    }

    private StatusPipeReader() {
    }

    /** Reads until the end of the pipe or the first fault, on a daemon thread of its own. */
    public static void start(int pid, InputStream status, Listener listener) {
        Thread reader = new Thread(() -> read(status, listener), "worker-pipe-" + pid);
        reader.setDaemon(true);
        reader.start();
    }

    static void read(InputStream status, Listener listener) {
        byte[] line = new byte[MAX_LINE_BYTES];
        byte[] buffer = new byte[MAX_LINE_BYTES];
        int length = 0;
        try (status) {
            int n;
            read:
            while ((n = status.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b != '\n') {
                        if (length == MAX_LINE_BYTES) {
                            listener.faulty("a status line longer than " + MAX_LINE_BYTES + " bytes");
                            break read;
                        }
                        line[length++] = b;
                        continue;
                    }
                    String text = new String(line, 0, length, StandardCharsets.UTF_8);
                    length = 0;
                    Optional<WorkerMessage> message = WorkerMessage.parse(text);
                    if (message.isEmpty()) {
                        listener.faulty("a status line that is no message: " + printable(text));
                        break read;
                    }
                    listener.said(message.get());
                }
            }
        } catch (IOException ignored) {
            // Same as the end of the pipe.
        }
        listener.closed();
    }

    /** At most 80 characters of what the worker wrote, control characters escaped: it goes in the log. */
    private static String printable(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return (text.length() > 80 ? b.append("...") : b).toString();
    }
}
