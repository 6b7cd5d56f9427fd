package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.master.metrics.MasterView;
import dev.gunicornjvm.master.metrics.MetricsServer;
import dev.gunicornjvm.master.metrics.MetricsSettings;
import dev.gunicornjvm.master.metrics.MetricsSnapshot;
import dev.gunicornjvm.master.metrics.MetricsState;
import dev.gunicornjvm.master.metrics.WorkerView;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What the arbiter's loop tells the metrics (--metrics-bind), at three points: a worker's numbers
 * arrive, workers are reaped, a pass ends. Everything here runs on the loop's thread; the HTTP thread
 * of {@link MetricsServer} only reads the {@link MetricsSnapshot} published at the end of each pass.
 * Without --metrics-bind every call returns at once.
 */
final class MetricsFeed {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    private final MetricsSettings settings;
    private final Clock clock;
    private final MetricsState state = new MetricsState();
    private final AtomicReference<MetricsSnapshot> published = new AtomicReference<>();
    /** Workers whose boot time is counted already. */
    private final Set<Integer> booted = new HashSet<>();
    private boolean hadNewMaster;
    private MetricsServer server;

    MetricsFeed(MetricsSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    boolean on() {
        return settings != null;
    }

    void start() {
        if (on()) {
            published.compareAndSet(null, MetricsSnapshot.starting(clock.nanos()));
            server = MetricsServer.start(settings, published::get, clock::nanos);
        }
    }

    void said(WorkerTable workers, int pid, WorkerMessage.Metrics metrics) {
        if (on()) {
            workers.get(pid).ifPresent(w -> state.sampled(pid, w.generation, metrics));
        }
    }

    void exited(List<WorkerTable.Exit> exits) {
        if (!on()) {
            return;
        }
        for (WorkerTable.Exit exit : exits) {
            WorkerRecord w = exit.worker();
            booted.remove(w.pid);
            state.exited(w.pid, restartReason(w, exit));
        }
    }

    /** Why the master has to replace this worker, or null when it was asked to stop. */
    static String restartReason(WorkerRecord w, WorkerTable.Exit exit) {
        if (w.timedOut) {
            return "timeout";
        }
        if (w.recycle) {
            return "max_requests";
        }
        if (w.state == WorkerState.STOPPING) {
            return null;
        }
        if (w.bootFailure != null || (w.state == WorkerState.BOOTING && !exit.status().killedBySignal()
                && exit.status().code() != 0)) {
            return "boot_failed";
        }
        return "crash";
    }

    /** The end of a pass: what changed in the master's state is counted, and a new snapshot published. */
    void passEnded(Workforce workforce, UpgradeState upgrade, boolean stopping) {
        if (!on()) {
            return;
        }
        try {
            count(workforce, upgrade);
            published.set(state.snapshot(view(workforce, stopping)));
        } catch (RuntimeException e) {
            // The metrics must not stop the master; /health/live turns 503 if this goes on.
            LOG.error("Error while publishing the metrics: {}", e, e);
        }
    }

    private void count(Workforce workforce, UpgradeState upgrade) {
        for (WorkerRecord w : workforce.workers().all()) {
            // Counted when first seen ready, for workers that served at once (a standby waits, parked).
            if (w.wasReady() && w.bootingSinceNanos == w.spawnedNanos && booted.add(w.pid)) {
                state.booted((w.readyNanos() - w.spawnedNanos) / 1e9);
            }
        }
        state.reloads(workforce.generations().reloadsEnded(true), workforce.generations().reloadsEnded(false));
        if (upgrade.hasNewMaster() && !hadNewMaster) {
            state.upgraded();
        }
        hadNewMaster = upgrade.hasNewMaster();
    }

    private MasterView view(Workforce workforce, boolean stopping) {
        return new MasterView(clock.nanos(), stopping, workforce.current().number(), workforce.count().target(),
                workforce.workers().all().stream().map(w -> new WorkerView(w.pid, w.generation, w.state, w.standby))
                        .toList());
    }

    /** The latest snapshot, for tests. */
    MetricsSnapshot published() {
        return published.get();
    }

    void close() {
        if (server != null) {
            server.close();
        }
    }
}
