package dev.gunicornjvm.master.arbiter;

import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Crash loops and failed spawns: each failure in a row doubles the wait before the next spawn (1 s up
 * to 30 s), with one log line per step, so that a broken app or an exhausted machine never spins the
 * CPU or fills the disk. Workers that stay up past the crash window end the loop.
 */
final class CrashBackoff {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    /** A worker dying this soon after it started accepting counts as a step of a crash loop. */
    static final long CRASH_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long FIRST_DELAY_MILLIS = 1000;
    private static final long MAX_DELAY_MILLIS = 30_000;

    private final Clock clock;
    private int failuresInARow;
    private long lastFailureNanos;
    private long nextSpawnNanos;

    CrashBackoff(Clock clock) {
        this.clock = clock;
        this.nextSpawnNanos = clock.nanos();
    }

    boolean maySpawn() {
        return clock.nanos() - nextSpawnNanos >= 0;
    }

    /** One more failure in a row: the next spawn waits longer. Returns the wait in milliseconds. */
    long failed(String what) {
        failuresInARow++;
        lastFailureNanos = clock.nanos();
        long delay = Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(failuresInARow - 1, 5));
        nextSpawnNanos = clock.nanos() + TimeUnit.MILLISECONDS.toNanos(delay);
        LOG.error("Crash loop: {}; next worker in {} ms ({} failures in a row)", what, delay, failuresInARow);
        return delay;
    }

    /** True if this worker, dying now, counts as a crash: it had accepted, but only just. */
    boolean diedEarly(WorkerRecord w) {
        return w.wasReady() && clock.nanos() - w.readyNanos() < CRASH_WINDOW_NANOS;
    }

    /**
     * Ends the loop once one of these workers, ready since the last failure, has served for longer
     * than the crash window. Workers that were up before the failures began prove nothing: the
     * failures may be in starting new ones.
     */
    void checkRecovery(Iterable<WorkerRecord> workers) {
        if (failuresInARow == 0) {
            return;
        }
        for (WorkerRecord w : workers) {
            if (w.wasReady() && w.readyNanos() - lastFailureNanos > 0
                    && clock.nanos() - w.readyNanos() > CRASH_WINDOW_NANOS) {
                LOG.info("Workers stay up again; spawning without delay");
                reset();
                return;
            }
        }
    }

    /** A new generation starts with a clean slate. */
    void reset() {
        failuresInARow = 0;
        nextSpawnNanos = clock.nanos();
    }

    int failuresInARow() {
        return failuresInARow;
    }
}
