package dev.gunicornjvm.master.hooks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One run of a shell hook: {@code /bin/sh -c COMMAND} with the event in its environment, stdin from
 * /dev/null, its output (stdout and stderr) into the error log line by line, prefixed with the event.
 * It inherits no listening socket: Java closes every descriptor but 0, 1 and 2 in the child. Past the
 * timeout the shell and every process it started are killed (SIGKILL; they are found by parentage,
 * since the shell shares the master's process group). Runs on a hook thread, never the arbiter's.
 */
final class ShellHook {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    /** What a hook's shell must not take from the master: systemd's messages are the master's to send. */
    private static final List<String> NOT_INHERITED = List.of("NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS",
            "LISTEN_FDNAMES");

    private ShellHook() {
    }

    /** Runs the command; returns its exit code, or -1 when it could not start or was killed. */
    static int run(String event, String command, Map<String, String> environment, long timeoutMillis) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeAll(NOT_INHERITED);
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            LOG.error("Hook {}: cannot run /bin/sh: {}", event, e.getMessage());
            return -1;
        }
        Thread output = new Thread(() -> copyToLog(event, p), "hook-" + event + "-output");
        output.setDaemon(true);
        output.start();
        try {
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                List<ProcessHandle> started = p.descendants().toList(); // before the shell dies and they move
                p.destroyForcibly();
                started.forEach(ProcessHandle::destroyForcibly);
                LOG.error("Hook {}: command still running after {} ms (--hook-timeout); killed it: {}", event,
                        timeoutMillis, command);
                return -1;
            }
            output.join(1000); // the last lines, unless a process it left behind holds the pipe open
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
        int code = p.exitValue();
        if (code != 0) {
            LOG.warn("Hook {}: command exited with code {}: {}", event, code, command);
        }
        return code;
    }

    private static void copyToLog(String event, Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                LOG.info("[{}] {}", event, line);
            }
        } catch (IOException e) {
            // The process was killed, or left; what was read is logged.
        }
    }
}
