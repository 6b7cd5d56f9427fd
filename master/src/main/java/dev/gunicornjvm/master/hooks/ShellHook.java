package dev.gunicornjvm.master.hooks;

import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.common.posix.InheritedFd;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.SpawnRequest;
import dev.gunicornjvm.common.signals.Signal;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One run of a shell hook: {@code /bin/sh -c COMMAND}, started with posix_spawn as workers are, so
 * that it gets exactly stdin from /dev/null and stdout and stderr on a pipe whose lines go into the
 * error log, prefixed with the event; no other fd (no listening socket), no blocked signal (the
 * master blocks them all, and java.lang.Process would pass that mask on), and a session and process
 * group of its own, which is killed (SIGKILL) past the timeout. Runs on a hook thread, never the
 * arbiter's; the master reaps the shell itself, by its pid.
 */
final class ShellHook {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    /** What a hook's shell must not take from the master: systemd's messages are the master's to send. */
    private static final List<String> NOT_INHERITED = List.of("NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS",
            "LISTEN_FDNAMES");
    private static final long POLL_MILLIS = 20;

    private ShellHook() {
    }

    /** Runs the command; returns its exit code, or -1 when it could not start or was killed. */
    static int run(String event, String command, Map<String, String> extra, long timeoutMillis) {
        Posix posix = Posix.get();
        int pid;
        int[] pipe = null;
        try {
            pipe = posix.pipe();
            int write = posix.moveAbove(pipe[1], 10); // clear of the child's 0, 1 and 2
            try {
                pid = posix.spawn(new SpawnRequest("/bin/sh", List.of("sh", "-c", command), environment(extra),
                        Map.of(1, write, 2, write), new int[0], true, null));
            } finally {
                posix.close(write);
            }
        } catch (RuntimeException e) {
            if (pipe != null) {
                posix.close(pipe[0]);
            }
            LOG.error("Hook {}: cannot run /bin/sh: {}", event, e.getMessage());
            return -1;
        }
        int read = pipe[0];
        Thread output = new Thread(() -> copyToLog(event, read), "hook-" + event + "-output");
        output.setDaemon(true);
        output.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Optional<ExitStatus> status = posix.reap(pid);
        try {
            while (status.isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(POLL_MILLIS);
                status = posix.reap(pid);
            }
            if (status.isEmpty()) {
                posix.kill(-pid, Signal.KILL_NUMBER); // its process group: the shell and what it started
                LOG.error("Hook {}: command still running after {} ms (--hook-timeout); killed it: {}", event,
                        timeoutMillis, command);
                while (posix.reap(pid).isEmpty()) {
                    Thread.sleep(POLL_MILLIS);
                }
                return -1;
            }
            output.join(1000); // the last lines, unless a process it left behind holds the pipe open
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        ExitStatus ended = status.get();
        if (ended.killedBySignal() || ended.code() != 0) {
            LOG.warn("Hook {}: command ended with {}: {}", event, ended, command);
        }
        return ended.killedBySignal() ? -1 : ended.code();
    }

    private static List<String> environment(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.keySet().removeAll(NOT_INHERITED);
        env.putAll(extra);
        List<String> entries = new ArrayList<>();
        env.forEach((name, value) -> entries.add(name + "=" + value));
        return entries;
    }

    private static void copyToLog(String event, int fd) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(InheritedFd.of(fd)),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                LOG.info("[{}] {}", event, line);
            }
        } catch (IOException e) {
            // The command's processes are gone; what was read is logged.
        }
    }
}
