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
    private static final int NOTIFY_FD = 3;

    private Daemonizer() {
    }

    /** Starts the daemon and returns the exit code for the starting command. */
    public static int start(Posix posix, String errorLog) {
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
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(DaemonNotifier.ENV, Integer.toString(NOTIFY_FD));
        try {
            int pid = posix.spawn(new SpawnRequest(java, argv,
                    env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.toList()),
                    Map.of(NOTIFY_FD, write), SignalReceiver.blockedSet(), true, LogSettings.fileOrNull(errorLog)));
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
