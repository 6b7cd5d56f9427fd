package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.MasterStatus;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The current generation of workers, the one a reload is replacing, and what gunictl reload reports
 * about the latest HUP. A reload has two ends: the new generation serves ({@link #finishReload()}), or
 * it cannot boot and the previous one stays current ({@link #abandonReload(String)}).
 */
final class Generations {
    private Generation current;
    /** During a reload, the generation being replaced; it keeps serving until the new one accepts. */
    private Generation previous;
    /** The worker count before the reload, restored if it is abandoned. */
    private int previousTarget;
    /** Generations made so far; numbers are never reused, not even after an abandoned reload. */
    private int made = 1;
    /** True once a worker of this master has accepted; until then a boot failure ends the master. */
    private boolean servedOnce;
    /** A HUP arrived while a reload was in progress: reload again when it is done. */
    private boolean reloadPending;
    private long reloads;
    private MasterStatus.Reload lastReload;
    /** Reloads that ended, by outcome (for the metrics: coalesced HUPs end as one). */
    private long reloadsSucceeded;
    private long reloadsFailed;

    Generations(Generation first) {
        this.current = first;
    }

    Generation current() {
        return current;
    }

    Optional<Generation> previous() {
        return Optional.ofNullable(previous);
    }

    boolean reloading() {
        return previous != null;
    }

    boolean servedOnce() {
        return servedOnce;
    }

    void workerReady() {
        servedOnce = true;
    }

    int nextNumber() {
        return ++made;
    }

    /** A HUP: counted, so that a client can tell its reload's outcome from an earlier one's. */
    long hup() {
        return ++reloads;
    }

    /** A HUP during a reload: one more reload once this one ends (signals coalesce anyway). */
    void reloadAgainLater() {
        reloadPending = true;
    }

    /** True once, if a HUP came while the reload that just ended was in progress. */
    boolean takePendingReload() {
        boolean pending = reloadPending;
        reloadPending = false;
        return pending;
    }

    void begin(Generation next, int targetBefore) {
        previous = current;
        previousTarget = targetBefore;
        current = next;
        lastReload = new MasterStatus.Reload(reloads, false, false, "generation " + next.number() + " booting",
                next.number());
    }

    /** The new generation serves; returns the one it replaced. */
    Generation finishReload() {
        Generation retired = previous;
        previous = null;
        if (lastReload != null && !lastReload.done()) {
            reloadsSucceeded++;
            lastReload = new MasterStatus.Reload(lastReload.sequence(), true, true,
                    "generation " + current.number() + " serving", current.number());
        }
        return retired;
    }

    /** The new generation is given up; the previous one is current again. Returns the worker count to restore. */
    int abandonReload(String why) {
        reloadsFailed++;
        lastReload = new MasterStatus.Reload(reloads, true, false,
                "generation " + current.number() + " " + why + "; generation " + previous.number() + " keeps serving",
                previous.number());
        current = previous;
        previous = null;
        return previousTarget;
    }

    /** A HUP that never made a generation: a bad configuration, or listeners that could not be opened. */
    void reloadRefused(String why) {
        reloadsFailed++;
        lastReload = new MasterStatus.Reload(reloads, true, false, why, current.number());
    }

    /** A HUP answered without a reload (an upgrade's revert: workers again, same configuration). */
    void reloadAnswered(String what) {
        reloadsSucceeded++;
        lastReload = new MasterStatus.Reload(reloads, true, true, what, current.number());
    }

    /** Reloads that ended so far with this outcome. */
    long reloadsEnded(boolean ok) {
        return ok ? reloadsSucceeded : reloadsFailed;
    }

    MasterStatus.Reload lastReload() {
        return lastReload;
    }

    /** Generation numbers someone may still read the staged files of. */
    Set<Integer> inUse(WorkerTable workers) {
        Set<Integer> inUse = new HashSet<>();
        inUse.add(current.number());
        if (previous != null) {
            inUse.add(previous.number());
        }
        workers.addGenerationsTo(inUse);
        return inUse;
    }
}
