package dev.gunicornjvm.common.pipe;

import java.util.Optional;

/**
 * What a worker tells its master over the status pipe, one line per message. The pipe carries only
 * these few facts, so a line of text is enough; EOF on the pipe means the worker is gone.
 */
public sealed interface WorkerMessage {
    /** The worker's listeners are open and it is accepting connections. */
    record Ready() implements WorkerMessage {
        @Override
        public String encode() {
            return "ready";
        }
    }

    /**
     * A standby is booted and warmed up, and waits for the master's {@link WorkerFds#PROMOTE} on its
     * lifeline before it accepts; it then says {@link Ready}.
     */
    record Standby() implements WorkerMessage {
        @Override
        public String encode() {
            return "standby";
        }
    }

    /** The worker is alive and making progress; {@code requests} served so far. */
    record Heartbeat(long requests) implements WorkerMessage {
        @Override
        public String encode() {
            return "heartbeat " + requests;
        }
    }

    /** The worker served its share of requests (--max-requests) and asks to be replaced; it serves on until QUIT. */
    record Recycle(long requests) implements WorkerMessage {
        @Override
        public String encode() {
            return "recycle " + requests;
        }
    }

    /** The worker cannot serve the app and is about to exit with {@code exitCode}. */
    record BootFailed(int exitCode, String reason) implements WorkerMessage {
        static final int MAX_REASON = 900;

        @Override
        public String encode() {
            // Cut so that the line fits the master's bounded read (StatusPipeReader) even in 4-byte UTF-8.
            String line = reason.replace('\n', ' ');
            return "boot-failed " + exitCode + " " + (line.length() > MAX_REASON ? line.substring(0, MAX_REASON) + "..." : line);
        }
    }

    String encode();

    static Optional<WorkerMessage> parse(String line) {
        String[] parts = line.split(" ", 3);
        try {
            switch (parts[0]) {
                case "ready":
                    return Optional.of(new Ready());
                case "standby":
                    return Optional.of(new Standby());
                case "heartbeat":
                    return Optional.of(new Heartbeat(Long.parseLong(parts[1])));
                case "recycle":
                    return Optional.of(new Recycle(Long.parseLong(parts[1])));
                case "boot-failed":
                    return Optional.of(new BootFailed(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : ""));
                default:
                    return Optional.empty();
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
