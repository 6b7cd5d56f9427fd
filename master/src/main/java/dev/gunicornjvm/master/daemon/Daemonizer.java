package dev.gunicornjvm.master.daemon;

import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.common.posix.InheritedFd;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.SpawnRequest;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.common.signals.SignalReceiver;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * -D/--daemon, the JVM way: a JVM cannot fork, so the starting master spawns the very same command
 * line again (read back from /proc/self/cmdline) in a new session, with no terminal and its standard
 * streams on /dev/null (stderr on the error log file when there is one), and waits on a pipe until that daemon says it is serving or why it is not.
 * Only then does the command return, with 0 or the daemon's own exit code.
 */
public final class Daemonizer {
    /** The notify pipe's fd in the daemon when it inherits no sockets; else the one above them. */
    private static final int FIRST_NOTIFY_FD = 3;

    private Daemonizer() {
    }

    /**
     * Starts the daemon and returns the exit code for the starting command.
     *
     * @param sockets fds the daemon inherits at the same numbers: the sockets of fd:// binds and of
     *                socket activation, which it looks for there
     * @param environment variables to set in the daemon (null values remove one)
     */
    public static int start(Posix posix, String errorLog, List<Integer> sockets, Map<String, String> environment) {
        List<String> argv;
        String java;
        try {
            argv = Arrays.asList(Files.readString(Path.of("/proc/self/cmdline")).split("\0"));
            java = ProcessHandle.current().info().command().orElseThrow();
        } catch (IOException | RuntimeException e) {
            System.err.println("Error: cannot read this process's command line to start the daemon: " + e);
            return ExitCodes.ERROR;
        }
        int[] pipe = posix.pipe();
        int read = pipe[0];
        int write = posix.moveAbove(pipe[1], 1000);
        Map<Integer, Integer> fds = new HashMap<>();
        int notifyFd = FIRST_NOTIFY_FD;
        for (int fd : sockets) {
            fds.put(fd, fd); // dup2 onto itself clears close-on-exec (POSIX, glibc 2.29+): the daemon gets it there
            notifyFd = Math.max(notifyFd, fd + 1);
        }
        fds.put(notifyFd, write);
        Map<String, String> env = new HashMap<>(System.getenv());
        environment.forEach((name, value) -> {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        env.put(DaemonNotifier.ENV, Integer.toString(notifyFd));
        try {
            int pid = posix.spawn(new SpawnRequest(java, argv,
                    env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.toList()),
                    fds, SignalReceiver.blockedSet(), true, LogSettings.fileOrNull(errorLog)));
            posix.close(write);
            return awaitDaemon(read, pid);
        } catch (RuntimeException e) {
            System.err.println("Error: cannot start the daemon: " + e.getMessage());
            return ExitCodes.ERROR;
        }
    }

    private static int awaitDaemon(int readFd, int pid) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new FileInputStream(InheritedFd.of(readFd)), StandardCharsets.UTF_8))) {
            String line = in.readLine();
            if (line == null) {
                System.err.println("Error: the daemon (pid " + pid + ") exited before it was serving; see the error log");
                return ExitCodes.ERROR;
            }
            if (line.equals("ready")) {
                return ExitCodes.OK;
            }
            String[] parts = line.split(" ", 3);
            System.err.println("Error: " + (parts.length > 2 ? parts[2] : line));
            return Integer.parseInt(parts[1]);
        } catch (IOException | RuntimeException e) {
            System.err.println("Error: lost the daemon (pid " + pid + ") while it started: " + e);
            return ExitCodes.ERROR;
        }
    }
}
