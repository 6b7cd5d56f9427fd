package dev.gunicornjvm.master.metrics;

import dev.gunicornjvm.common.pipe.RequestCounts;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers behind /metrics, kept by the master's loop thread alone: each worker's latest sample, the
 * requests of the workers gone (so that the totals never go down when a worker dies or a generation is
 * retired), and the master's own counts. {@link #snapshot} copies them into an immutable
 * {@link MetricsSnapshot} for the HTTP threads.
 */
public final class MetricsState {
    /** Why a worker ended without being asked to: the label values of gunicorn_worker_restarts_total. */
    public static final List<String> RESTART_REASONS = List.of("crash", "timeout", "boot_failed", "max_requests");
    public static final List<String> RELOAD_RESULTS = List.of("success", "failure");

    private final Map<Integer, MetricsSnapshot.WorkerSample> live = new LinkedHashMap<>();
    private final Map<String, RequestCounts> retired = new TreeMap<>();
    private final Map<String, Long> restarts = new TreeMap<>();
    private final Map<String, Long> reloads = new TreeMap<>();
    private long upgrades;
    private final long[] bootCounts = new long[MetricsSnapshot.BootTimes.BOUNDS_SECONDS.length + 1];
    private double bootSeconds;

    public MetricsState() {
        RESTART_REASONS.forEach(r -> restarts.put(r, 0L));
        RELOAD_RESULTS.forEach(r -> reloads.put(r, 0L));
    }

    /** A worker's latest numbers; they replace its earlier ones (they are its totals so far). */
    public void sampled(int pid, int generation, WorkerMessage.Metrics metrics) {
        live.put(pid, new MetricsSnapshot.WorkerSample(pid, generation, metrics));
    }

    /**
     * A worker exited: its last counts join those of the workers gone.
     *
     * @param restartReason one of {@link #RESTART_REASONS}, or null when it was asked to stop
     */
    public void exited(int pid, String restartReason) {
        MetricsSnapshot.WorkerSample last = live.remove(pid);
        if (last != null) {
            addTo(retired, last.metrics().requests());
        }
        if (restartReason != null) {
            restarts.merge(restartReason, 1L, Long::sum);
        }
    }

    public void booted(double seconds) {
        double[] bounds = MetricsSnapshot.BootTimes.BOUNDS_SECONDS;
        int i = 0;
        while (i < bounds.length && seconds > bounds[i]) {
            i++;
        }
        bootCounts[i]++;
        bootSeconds += seconds;
    }

    /** The reloads that ended so far, as the master's generations count them. */
    public void reloads(long succeeded, long failed) {
        reloads.put("success", succeeded);
        reloads.put("failure", failed);
    }

    public void upgraded() {
        upgrades++;
    }

    /** The numbers now, with the master's state as {@code view} shows it. */
    public MetricsSnapshot snapshot(MasterView view) {
        Map<String, RequestCounts> requests = new TreeMap<>(retired);
        List<MetricsSnapshot.WorkerSample> samples = new ArrayList<>(live.values());
        samples.forEach(s -> addTo(requests, s.metrics().requests()));
        List<Long> boots = new ArrayList<>();
        for (long n : bootCounts) {
            boots.add(n);
        }
        return new MetricsSnapshot(view.nanos(), view, Readiness.of(view), samples, requests, restarts, reloads,
                upgrades, new MetricsSnapshot.BootTimes(boots, bootSeconds));
    }

    private static void addTo(Map<String, RequestCounts> totals, List<RequestCounts> counts) {
        for (RequestCounts c : counts) {
            totals.merge(c.status(), c, RequestCounts::plus);
        }
    }
}
