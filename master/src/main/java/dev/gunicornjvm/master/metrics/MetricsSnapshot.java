package dev.gunicornjvm.master.metrics;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.pipe.RequestCounts;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything /metrics and /health show, as the master's loop last published it. Immutable: the loop
 * makes a new one at the end of each pass, and the HTTP threads only read the latest.
 *
 * @param nanos     when the loop made it (the loop's clock): /health/live tells a stuck loop by its age
 * @param view      the master's workers and generation
 * @param workers   the latest numbers of each live worker that sent some
 * @param requests  all requests by status: the live workers' and those of the workers gone
 * @param restarts  workers that ended without being asked to, by reason
 * @param reloads   HUPs by result
 * @param bootTimes seconds from a worker's spawn to its first accept
 */
public record MetricsSnapshot(long nanos, MasterView view, Readiness readiness, List<WorkerSample> workers,
                              Map<String, RequestCounts> requests, Map<String, Long> restarts,
                              Map<String, Long> reloads, long upgrades, BootTimes bootTimes) {
    public MetricsSnapshot {
        workers = List.copyOf(workers);
        requests = java.util.Collections.unmodifiableMap(new TreeMap<>(requests));
        restarts = java.util.Collections.unmodifiableMap(new TreeMap<>(restarts));
        reloads = java.util.Collections.unmodifiableMap(new TreeMap<>(reloads));
    }

    /** A live worker's latest numbers. */
    public record WorkerSample(int pid, int generation, WorkerMessage.Metrics metrics) {
        public long requests() {
            return metrics.requests().stream().mapToLong(RequestCounts::count).sum();
        }
    }

    /** A histogram in {@link #BOUNDS_SECONDS}, the counts not cumulative, the last one above every bound. */
    public record BootTimes(List<Long> counts, double sumSeconds) {
        public static final double[] BOUNDS_SECONDS = {0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120};

        public BootTimes {
            counts = List.copyOf(counts);
        }
    }

    /** Before the loop's first pass. */
    public static MetricsSnapshot starting(long nanos) {
        return new MetricsSnapshot(nanos, new MasterView(nanos, false, 1, 0, List.of()), Readiness.STARTING,
                List.of(), Map.of(), Map.of(), Map.of(), 0,
                new BootTimes(java.util.Collections.nCopies(BootTimes.BOUNDS_SECONDS.length + 1, 0L), 0));
    }

    /** Workers by state, every state present. */
    public Map<WorkerState, Long> workersByState() {
        Map<WorkerState, Long> counts = new EnumMap<>(WorkerState.class);
        for (WorkerState s : WorkerState.values()) {
            counts.put(s, 0L);
        }
        view.workers().forEach(w -> counts.merge(w.state(), 1L, Long::sum));
        return counts;
    }
}
