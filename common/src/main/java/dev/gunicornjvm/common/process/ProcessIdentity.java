package dev.gunicornjvm.common.process;

import java.util.Optional;

/**
 * One process for good: its pid and its start time. A pid alone is reused once its process is gone (a
 * stale pidfile can name some unrelated program a week later); the pair never is. Whoever records a
 * process it will later signal or wait for keeps this, and asks {@link #alive()}, not "does the pid
 * exist".
 *
 * @param startTicks field 22 of /proc/PID/stat, the start time since boot in clock ticks
 */
public record ProcessIdentity(int pid, long startTicks) {
    /** The process running with this pid now, or empty if there is none (or only a zombie). */
    public static Optional<ProcessIdentity> of(int pid) {
        // No lambdas on this path: gunictl status runs it once, and a lambda's first link costs milliseconds.
        Optional<ProcessTable.Stat> stat = ProcessTable.stat(pid);
        return stat.isPresent() && stat.get().running() ? Optional.of(new ProcessIdentity(pid, stat.get().startTicks()))
                : Optional.empty();
    }

    /** This process, as of now. */
    public static ProcessIdentity current() {
        int pid = (int) ProcessHandle.current().pid();
        return of(pid).orElseThrow(() -> new IllegalStateException("no /proc/" + pid + "/stat: is /proc mounted?"));
    }

    /** Still this very process, and not a zombie: same pid and same start time. */
    public boolean alive() {
        Optional<ProcessTable.Stat> stat = ProcessTable.stat(pid);
        return stat.isPresent() && stat.get().running() && stat.get().startTicks() == startTicks;
    }

    /** Alive, with the title of {@code role}. */
    public boolean is(ProcessRole role) {
        // The title first: a pid reused between the two reads then fails the start-time check after it.
        return role.titles(ProcessTable.cmdline(pid)) && alive();
    }

    /** Alive, with a master's title: what a pidfile must name for a master to count as running. */
    public boolean isGunicornMaster() {
        return is(ProcessRole.MASTER);
    }
}
