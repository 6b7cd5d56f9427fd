package dev.gunicornjvm.common.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What /proc says about a process. Read from files rather than asked of libc, so that gunictl's commands
 * that only look (status) never load the native layer, and the master can check a pidfile before it
 * has bound anything.
 */
public final class ProcessTable {
    private ProcessTable() {
    }

    /**
     * Fields of /proc/PID/stat.
     *
     * @param state      R, S, D, Z (exited, not yet reaped), X, ...
     * @param parent     parent pid (field 4)
     * @param startTicks start time since boot in clock ticks (field 22): with the pid, it names one
     *                   process for good, even after the pid is reused
     */
    public record Stat(char state, int parent, long startTicks) {
        /** A zombie has exited; only its parent has not collected it yet. */
        public boolean running() {
            return state != 'Z' && state != 'X';
        }
    }

    /** The process's stat fields, or empty if there is no such process. */
    public static Optional<Stat> stat(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            // The command name, field 2, is in parentheses and may hold spaces and ')': count from the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Stat(f[0].charAt(0), Integer.parseInt(f[1]), Long.parseLong(f[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The command line as ps shows it (arguments joined by spaces), or "" if there is no such process
     * (a zombie's is "" too).
     */
    public static String cmdline(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline")).replace('\0', ' ').trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
