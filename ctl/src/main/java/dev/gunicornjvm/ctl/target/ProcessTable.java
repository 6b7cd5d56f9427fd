package dev.gunicornjvm.ctl.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What /proc says about a process. gunictl reads the process table instead of asking libc so that
 * commands which only look (status) never load the native layer.
 */
public final class ProcessTable {
    public static final String MASTER_TITLE = "gunicorn: master";
    public static final String WORKER_TITLE = "gunicorn: worker";

    private ProcessTable() {
    }

    /**
     * Fields of /proc/PID/stat.
     *
     * @param state      R, S, D, Z (exited, not yet reaped), X, ...
     * @param parent     parent pid
     * @param startTicks start time since boot in clock ticks: with the pid, it names one process for good,
     *                   even after the pid is reused
     */
    public record Stat(char state, int parent, long startTicks) {
        /** A zombie has exited; only its parent has not collected it yet. */
        public boolean running() {
            return state != 'Z' && state != 'X';
        }
    }

    public static Optional<Stat> stat(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            // The command name, field 2, is in parentheses and may hold spaces: count from the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Stat(f[0].charAt(0), Integer.parseInt(f[1]), Long.parseLong(f[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The command line as ps shows it (arguments joined by spaces), or "" if there is no such process. */
    public static String cmdline(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline")).replace('\0', ' ').trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    public static boolean isMaster(int pid) {
        return cmdline(pid).startsWith(MASTER_TITLE);
    }

    /** True if the pid is a running worker whose parent is this master. */
    public static boolean isWorkerOf(int pid, int master) {
        return stat(pid).filter(s -> s.running() && s.parent() == master).isPresent()
                && cmdline(pid).startsWith(WORKER_TITLE);
    }
}
