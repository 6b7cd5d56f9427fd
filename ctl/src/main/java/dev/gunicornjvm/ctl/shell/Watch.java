package dev.gunicornjvm.ctl.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * {@code watch [-n SECONDS] [COMMAND...]}: runs a gunictl command (default: status) every SECONDS
 * (default: 1), redrawing the screen with its output, until a key is pressed (or Ctrl-C).
 */
final class Watch {
    private static final long MIN_INTERVAL_MILLIS = 200;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Terminal terminal;
    private final Shell shell;

    Watch(Terminal terminal, Shell shell) {
        this.terminal = terminal;
        this.shell = shell;
    }

    int run(List<String> args) {
        PrintWriter out = terminal.writer();
        double seconds = 1;
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("-")) {
            String a = args.get(i);
            String value;
            if (a.equals("-n") || a.equals("--interval")) {
                if (i + 1 >= args.size()) {
                    return usage(out, a + " needs a number of seconds");
                }
                value = args.get(i + 1);
                i += 2;
            } else if (a.startsWith("--interval=")) {
                value = a.substring("--interval=".length());
                i++;
            } else if (a.startsWith("-n") && a.length() > 2) {
                value = a.substring(2);
                i++;
            } else if (a.equals("--")) {
                i++;
                break;
            } else {
                return usage(out, "unknown option '" + a + "'");
            }
            try {
                seconds = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                return usage(out, "'" + value + "' is not a number of seconds");
            }
            if (!(seconds > 0)) {
                return usage(out, "the interval must be more than 0 seconds");
            }
        }
        List<String> command = i < args.size() ? args.subList(i, args.size()) : List.of("status");
        if (List.of("watch", "help", "exit", "quit-shell", "shell").contains(command.get(0))) {
            return usage(out, "watch runs gunictl commands, not '" + command.get(0) + "'");
        }
        long interval = Math.max(MIN_INTERVAL_MILLIS, Math.round(seconds * 1000));
        String title = "Every " + (seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds))
                + "s: " + String.join(" ", command);
        int last = 0;
        Attributes saved = terminal.enterRawMode(); // keys arrive one by one, unechoed; Ctrl-C still interrupts
        try {
            while (true) {
                long started = System.nanoTime();
                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                last = runCaptured(command, captured);
                if (Thread.interrupted()) {
                    break; // Ctrl-C while the command ran
                }
                terminal.puts(Capability.clear_screen);
                out.print(title + "    " + LocalTime.now().format(TIME) + "    (press any key to stop)\n\n");
                out.print(captured.toString(terminal.encoding()));
                out.flush();
                long left = interval - (System.nanoTime() - started) / 1_000_000;
                int key = left > 0 ? terminal.reader().read(left) : NonBlockingReader.READ_EXPIRED;
                if (key != NonBlockingReader.READ_EXPIRED) {
                    drainKeys();
                    break;
                }
            }
        } catch (InterruptedIOException e) {
            Thread.interrupted(); // Ctrl-C while waiting: stop watching, stay in the shell
        } catch (IOException e) {
            out.println("watch: " + e.getMessage());
        } finally {
            terminal.setAttributes(saved);
            out.println();
            out.flush();
        }
        return last;
    }

    /** Runs the command with System.out and System.err going to a buffer, so each screen is drawn at once. */
    private int runCaptured(List<String> command, ByteArrayOutputStream buffer) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        Charset charset = terminal.encoding();
        PrintStream capture = new PrintStream(buffer, true, charset);
        System.setOut(capture);
        System.setErr(capture);
        try {
            return shell.execute(command);
        } finally {
            capture.flush();
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** The rest of a key's escape sequence (an arrow key is several bytes) must not reach the next prompt. */
    private void drainKeys() throws IOException {
        while (terminal.reader().read(30) >= 0) {
            // discard
        }
    }

    private static int usage(PrintWriter out, String problem) {
        out.println("watch: " + problem + " (usage: watch [-n SECONDS] [COMMAND...], default: status every 1 s)");
        out.flush();
        return 2;
    }
}
