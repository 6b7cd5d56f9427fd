package dev.gunicornjvm.ctl;

import dev.gunicornjvm.ctl.client.ControlJson;
import dev.gunicornjvm.ctl.commands.StatusCommand;
import dev.gunicornjvm.ctl.support.ExitCode;
import dev.gunicornjvm.ctl.target.Target;
import dev.gunicornjvm.ctl.target.TargetSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code gunictl status} without picocli: building picocli's command model took longer than everything
 * else {@code status} does. Only the plain forms are taken here ({@code [-p F|--pid F|--pid=F]
 * [--control-dir D|--control-dir=D] status [--json] [--timeout S|--timeout=S]}, the options in any order,
 * -p and --control-dir also before the command), each at most once, with values that picocli would read
 * the same way; {@link #parse} returns null for anything else (help, a typo, a repeated option, an
 * argument file, a value that looks like an option), and picocli handles it as before, usage errors and
 * all. GunictlTest checks that every form taken here means to picocli what it means here.
 */
final class FastStatus {
    /** Picocli takes none of these as an option's value (its subcommands), so neither does this. */
    static final Set<String> COMMAND_NAMES = Set.of("status", "reload", "upgrade", "scale", "stop", "quit",
            "reopen-logs", "winch", "kill", "generate-completion", "shell");

    private FastStatus() {
    }

    /** What picocli would have set: Gunictl's -p and --control-dir, status's --json and --timeout. */
    record Options(Path pidFile, Path controlDir, boolean json, double timeoutSeconds) implements TargetSource {
        @Override
        public Target target() {
            return new Target(pidFile, controlDir);
        }
    }

    /** The options of a plain {@code status} command line, or null to leave it to picocli. */
    static Options parse(String[] args) {
        boolean status = false;
        String pid = null;
        String controlDir = null;
        boolean json = false;
        String timeout = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("status")) {
                if (status) {
                    return null;
                }
                status = true;
                continue;
            }
            if (a.equals("--json")) {
                if (!status || json) {
                    return null;
                }
                json = true;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[i + 1];
                i++;
            }
            if (value == null || !plainValue(value)) {
                return null;
            }
            switch (name) {
                case "--pid", "-p" -> {
                    if (pid != null) {
                        return null;
                    }
                    pid = value;
                }
                case "--control-dir" -> {
                    if (controlDir != null) {
                        return null;
                    }
                    controlDir = value;
                }
                case "--timeout" -> {
                    if (!status || timeout != null) {
                        return null;
                    }
                    timeout = value;
                }
                default -> {
                    return null;
                }
            }
        }
        if (!status) {
            return null;
        }
        try {
            return new Options(Path.of(pid == null ? "gunicorn.pid" : pid), controlDir == null ? null : Path.of(controlDir),
                    json, timeout == null ? new StatusCommand().defaultTimeout().toSeconds() : Double.valueOf(timeout));
        } catch (InvalidPathException | NumberFormatException e) {
            return null; // picocli's error message, then
        }
    }

    /** Not empty, not what picocli could take for an option, an argument file or a command. */
    private static boolean plainValue(String value) {
        return !value.isEmpty() && !value.startsWith("-") && !value.startsWith("@") && !COMMAND_NAMES.contains(value);
    }

    /** Runs status as picocli would have, with picocli's stdout and stderr writers and its handling of a bug. */
    static int run(Options options) {
        return run(options, writer(System.out, "sun.stdout.encoding"), writer(System.err, "sun.stderr.encoding"));
    }

    static int run(Options options, PrintWriter out, PrintWriter err) {
        new SocketWarmUp().start();
        try {
            return new StatusCommand().execute(options, options.json(), options.timeoutSeconds(), "status", out, err);
        } catch (RuntimeException e) {
            err.println("gunictl status: internal error: " + e);
            return ExitCode.FAILED;
        }
    }

    /**
     * The first Unix socket (the JDK seeds a SecureRandom for it) and the first JSON parser, made on the
     * second core while the main thread reads the pidfile and /proc; whichever thread gets there first
     * does the work, the other waits for it (class initialization). A class, not a lambda: linking one
     * costs more than it saves here.
     */
    private static final class SocketWarmUp extends Thread {
        SocketWarmUp() {
            super("warm-up");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                SocketChannel.open(StandardProtocolFamily.UNIX).close();
                ControlJson.response("{\"v\":1,\"id\":\"warm-up\",\"ok\":true}");
            } catch (IOException | RuntimeException e) {
                // Nothing is lost: the command does this work itself.
            }
        }
    }

    /** As picocli's CommandLine.getOut and getErr make them. */
    private static PrintWriter writer(OutputStream stream, String encodingProperty) {
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset(System.getProperty(encodingProperty)))),
                true);
    }

    private static Charset charset(String name) {
        if (name == null) {
            return Charset.defaultCharset();
        }
        try {
            return Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
