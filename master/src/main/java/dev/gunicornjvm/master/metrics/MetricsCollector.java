package dev.gunicornjvm.master.metrics;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.pipe.RequestCounts;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus view of the master's latest {@link MetricsSnapshot}: the library's snapshot model,
 * built at each scrape on the HTTP thread from the immutable snapshot alone. The library writes the
 * text (or OpenMetrics) format. Names and labels are listed in docs/configuration.md.
 */
final class MetricsCollector implements MultiCollector {
    private static final double[] REQUEST_BOUNDS = withInfinity(seconds(RequestCounts.BOUNDS_MICROS));
    private static final double[] BOOT_BOUNDS = withInfinity(MetricsSnapshot.BootTimes.BOUNDS_SECONDS);

    private final Supplier<MetricsSnapshot> snapshots;

    MetricsCollector(Supplier<MetricsSnapshot> snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public MetricSnapshots collect() {
        MetricsSnapshot s = snapshots.get();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        requests(s, out);
        workers(s, out);
        master(s, out);
        return out.build();
    }

    private static void requests(MetricsSnapshot s, MetricSnapshots.Builder out) {
        CounterSnapshot.Builder total = CounterSnapshot.builder().name("gunicorn_requests")
                .help("Requests answered by all workers, by status (workers gone included)");
        HistogramSnapshot.Builder duration = HistogramSnapshot.builder().name("gunicorn_request_duration_seconds")
                .help("Time from a request's arrival to the end of its answer, by status (workers gone included)");
        for (RequestCounts c : s.requests().values()) {
            Labels status = Labels.of("status", c.status());
            total.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(status).value(c.count()).build());
            long[] counts = new long[REQUEST_BOUNDS.length];
            long inBuckets = 0;
            for (int i = 0; i < c.buckets().size(); i++) {
                counts[i] = c.buckets().get(i);
                inBuckets += counts[i];
            }
            counts[counts.length - 1] = c.count() - inBuckets;
            duration.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(status)
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(REQUEST_BOUNDS, counts))
                    .sum(c.sumMicros() / 1e6).build());
        }
        out.metricSnapshot(total.build()).metricSnapshot(duration.build());
    }

    private static void workers(MetricsSnapshot s, MetricSnapshots.Builder out) {
        List<MetricsSnapshot.WorkerSample> w = s.workers();
        out.metricSnapshot(counter("gunicorn_worker_requests", "Requests answered by this worker", w,
                MetricsSnapshot.WorkerSample::requests));
        out.metricSnapshot(gauge("gunicorn_worker_busy_threads", "Request threads running a request", w,
                x -> x.metrics().busyThreads()));
        out.metricSnapshot(gauge("gunicorn_worker_queued_requests", "Requests waiting for a request thread", w,
                x -> x.metrics().queued()));
        out.metricSnapshot(gauge("gunicorn_worker_heap_used_bytes", "Heap in use", w,
                x -> x.metrics().heapUsed()));
        out.metricSnapshot(gauge("gunicorn_worker_heap_committed_bytes", "Heap the JVM has from the OS", w,
                x -> x.metrics().heapCommitted()));
        out.metricSnapshot(counter("gunicorn_worker_gc_collections", "Garbage collections, all collectors", w,
                x -> x.metrics().gcCount()));
        out.metricSnapshot(counter("gunicorn_worker_gc_seconds", "Time spent in garbage collection, all collectors",
                w, x -> x.metrics().gcMillis() / 1e3));
    }

    private static void master(MetricsSnapshot s, MetricSnapshots.Builder out) {
        GaugeSnapshot.Builder workers = GaugeSnapshot.builder().name("gunicorn_workers")
                .help("Worker processes of the master, by state");
        for (Map.Entry<WorkerState, Long> e : s.workersByState().entrySet()) {
            workers.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("state", e.getKey().wire())).value(e.getValue()).build());
        }
        out.metricSnapshot(workers.build());
        out.metricSnapshot(single(GaugeSnapshot.builder().name("gunicorn_workers_target")
                .help("Workers the current generation should have (-w, TTIN, TTOU, WINCH)"), s.view().target()));
        out.metricSnapshot(single(GaugeSnapshot.builder().name("gunicorn_generation")
                .help("Number of the current generation of workers (1 at start, one more per reload)"),
                s.view().generation()));
        out.metricSnapshot(single(GaugeSnapshot.builder().name("gunicorn_ready")
                .help("1 when the current generation has all its workers accepting (as /health/ready)"),
                s.readiness().ready() ? 1 : 0));
        out.metricSnapshot(labelled("gunicorn_worker_restarts",
                "Workers that ended without being asked to, by reason", "reason", s.restarts()));
        out.metricSnapshot(labelled("gunicorn_reloads", "Reloads (HUP), by result", "result", s.reloads()));
        out.metricSnapshot(CounterSnapshot.builder().name("gunicorn_upgrades")
                .help("Binary upgrades (USR2) that started a new master")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(s.upgrades()).build()).build());
        long[] boots = s.bootTimes().counts().stream().mapToLong(Long::longValue).toArray();
        out.metricSnapshot(HistogramSnapshot.builder().name("gunicorn_worker_boot_seconds")
                .help("Time from a worker's spawn to its first accept (standbys not included)")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(BOOT_BOUNDS, boots))
                        .sum(s.bootTimes().sumSeconds()).build()).build());
    }

    private static Labels worker(MetricsSnapshot.WorkerSample w) {
        return Labels.of("generation", Integer.toString(w.generation()), "pid", Integer.toString(w.pid()));
    }

    private static CounterSnapshot counter(String name, String help, List<MetricsSnapshot.WorkerSample> workers,
                                           ToDoubleFunction<MetricsSnapshot.WorkerSample> value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        workers.forEach(w -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(worker(w))
                .value(value.applyAsDouble(w)).build()));
        return b.build();
    }

    private static GaugeSnapshot gauge(String name, String help, List<MetricsSnapshot.WorkerSample> workers,
                                       ToDoubleFunction<MetricsSnapshot.WorkerSample> value) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        workers.forEach(w -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(worker(w))
                .value(value.applyAsDouble(w)).build()));
        return b.build();
    }

    private static GaugeSnapshot single(GaugeSnapshot.Builder b, double value) {
        return b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot labelled(String name, String help, String label, Map<String, Long> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        values.forEach((k, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, k)).value(v).build()));
        return b.build();
    }

    private static double[] seconds(long[] micros) {
        double[] s = new double[micros.length];
        for (int i = 0; i < micros.length; i++) {
            s[i] = micros[i] / 1e6;
        }
        return s;
    }

    private static double[] withInfinity(double[] bounds) {
        double[] all = java.util.Arrays.copyOf(bounds, bounds.length + 1);
        all[bounds.length] = Double.POSITIVE_INFINITY;
        return all;
    }
}
