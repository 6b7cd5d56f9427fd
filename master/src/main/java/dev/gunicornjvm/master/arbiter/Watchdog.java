package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.hooks.Hooks;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Kills workers that stopped making progress: one still booting after --boot-timeout, one silent for
 * longer than --timeout (after a thread dump, taken on another thread since the JVM may not answer),
 * and one asked to stop that outlives its grace.
 */
final class Watchdog {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    /** How long a thread dump of a silent worker may take before the worker is killed anyway. */
    static final long DUMP_LIMIT_MILLIS = 3000;

    private final Clock clock;
    private final Processes processes;
    private final Consumer<Event> events;
    private final Hooks hooks;

    Watchdog(Clock clock, Processes processes, Consumer<Event> events, Hooks hooks) {
        this.clock = clock;
        this.processes = processes;
        this.events = events;
        this.hooks = hooks;
    }

    void check(WorkerTable workers, Settings settings) {
        long now = clock.nanos();
        for (WorkerRecord w : workers.all()) {
            if (w.killDue(now)) {
                if (w.state == WorkerState.STOPPING && !w.timedOut) {
                    LOG.warn("Worker (pid:{}) did not stop within the graceful timeout; killing it", w.pid);
                }
                processes.signal(w.pid, Signal.KILL_NUMBER); // for a timed-out worker: the dump never came back
                w.killScheduled = false;
            } else if (!w.timedOut && w.state != WorkerState.STOPPING) {
                checkProgress(w, settings, now);
            }
        }
    }

    private void checkProgress(WorkerRecord w, Settings settings, long now) {
        if (w.state == WorkerState.BOOTING
                && now - w.bootingSinceNanos > TimeUnit.SECONDS.toNanos(settings.bootTimeoutSeconds())) {
            w.bootFailure = "not accepting " + settings.bootTimeoutSeconds() + " s after it was started"
                    + " (--boot-timeout)";
            LOG.fatal("Worker (pid:{}) is {}; killing it", w.pid, w.bootFailure);
            killAfterThreadDump(w, now);
        } else if (settings.timeoutSeconds() > 0
                && now - w.lastHeartbeatNanos > TimeUnit.SECONDS.toNanos(settings.timeoutSeconds())) {
            LOG.fatal("WORKER TIMEOUT (pid:{})", w.pid);
            killAfterThreadDump(w, now);
        }
    }

    private void killAfterThreadDump(WorkerRecord w, long now) {
        w.timedOut = true;
        hooks.workerAbort(w.pid, w.generation, w.age);
        w.killAt(now + TimeUnit.MILLISECONDS.toNanos(2 * DUMP_LIMIT_MILLIS));
        processes.threadDump(w.pid, dump -> events.accept(new Event.ThreadDumpTaken(w.pid, dump)));
    }

    /** The dump of a silent worker is in: log it, and kill the worker now. */
    void dumpTaken(WorkerTable workers, Event.ThreadDumpTaken dump) {
        LOG.error("Thread dump of worker (pid:{}):\n{}", dump.pid(), dump.dump());
        workers.get(dump.pid()).ifPresent(w -> processes.signal(w.pid, Signal.KILL_NUMBER));
    }
}
