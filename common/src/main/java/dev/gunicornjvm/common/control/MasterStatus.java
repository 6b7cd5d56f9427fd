package dev.gunicornjvm.common.control;

import java.util.List;

/**
 * Everything {@code gunictl status} shows: a snapshot taken on the master's own event loop, so it is
 * consistent.
 *
 * @param configSource  the -c file, or "command line"
 * @param upgrade       this master's part in an upgrade
 * @param otherMaster   pid of the other master of an upgrade, or 0
 * @param targetStandby standby workers the master keeps beside the target (--standby)
 * @param lastReload    the outcome of the latest HUP, or null if there was none
 */
public record MasterStatus(
        int pid,
        String version,
        long uptimeSeconds,
        String app,
        List<String> binds,
        String configSource,
        String pidFile,
        boolean daemon,
        boolean preload,
        int generation,
        UpgradeRole upgrade,
        int otherMaster,
        int targetWorkers,
        int targetStandby,
        boolean stopping,
        List<Worker> workers,
        Reload lastReload) {

    /**
     * One worker: age in seconds, state, and how long ago it last said anything. {@code standby} is true
     * for a standby worker, booting or parked, until it is promoted.
     */
    public record Worker(int pid, int generation, long ageSeconds, WorkerState state, boolean standby, long requests,
                         long lastHeartbeatMillis) {
    }

    /**
     * A HUP's outcome. {@code sequence} grows with every HUP, so a client can tell its own from an
     * earlier one; {@code done} is false while the new generation is still booting.
     */
    public record Reload(long sequence, boolean done, boolean ok, String message, int generation) {
    }
}
