package dev.gunicornjvm.master.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.pipe.RequestCounts;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsStateTest {
    private static WorkerMessage.Metrics served(long ok, long notFound) {
        List<RequestCounts> counts = new ArrayList<>();
        counts.add(new RequestCounts("200", ok, ok * 1000, List.of(ok, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L)));
        if (notFound > 0) {
            counts.add(new RequestCounts("404", notFound, notFound * 20_000_000, RequestCounts.none("404").buckets()));
        }
        return new WorkerMessage.Metrics(1, 0, 1000, 2000, 3, 40, counts);
    }

    private static MasterView view(int generation, int target, WorkerView... workers) {
        return new MasterView(0, false, generation, target, List.of(workers));
    }

    private static WorkerView ready(int pid, int generation) {
        return new WorkerView(pid, generation, WorkerState.READY, false);
    }

    @Test
    void theTotalsNeverGoDownWhenWorkersDie() {
        MetricsState state = new MetricsState();
        state.sampled(10, 1, served(5, 1));
        state.sampled(11, 1, served(7, 0));
        assertEquals(12, state.snapshot(view(1, 2)).requests().get("200").count());

        state.exited(10, "crash"); // its last numbers stay in the totals
        MetricsSnapshot after = state.snapshot(view(1, 2));
        assertEquals(12, after.requests().get("200").count());
        assertEquals(1, after.requests().get("404").count());
        assertEquals(1L, after.restarts().get("crash"));
        assertEquals(List.of(11), after.workers().stream().map(MetricsSnapshot.WorkerSample::pid).toList());

        state.sampled(12, 2, served(1, 0)); // its replacement starts from nothing
        state.sampled(11, 1, served(9, 0));
        assertEquals(15, state.snapshot(view(2, 2)).requests().get("200").count());
        state.exited(11, null); // retired by a reload: no restart
        state.exited(12, null);
        MetricsSnapshot end = state.snapshot(view(2, 0));
        assertEquals(15, end.requests().get("200").count());
        assertEquals(15, end.requests().get("200").buckets().get(0));
        assertEquals(1L, end.restarts().get("crash"));
        assertEquals(0L, end.restarts().get("timeout"), "every reason is there from the start");
    }

    @Test
    void readinessWantsTheCurrentGenerationsFullCount() {
        assertTrue(Readiness.of(view(3, 2, ready(1, 3), ready(2, 3))).ready());
        assertEquals("ready: 2/2 workers of generation 3", Readiness.of(view(3, 2, ready(1, 3), ready(2, 3))).why());
        Readiness reloading = Readiness.of(view(4, 2, ready(1, 3), ready(2, 3), new WorkerView(5, 4, WorkerState.BOOTING, false)));
        assertFalse(reloading.ready(), "the old generation's workers do not count");
        assertEquals("not ready: 0/2 workers of generation 4", reloading.why());
        assertFalse(Readiness.of(view(3, 3, ready(1, 3), ready(2, 3))).ready(), "after TTIN");
        assertFalse(Readiness.of(view(3, 0)).ready(), "after WINCH");
        assertTrue(Readiness.of(view(3, 1, ready(1, 3), new WorkerView(2, 3, WorkerState.STANDBY, true))).ready(),
                "a parked standby is extra");
        assertFalse(Readiness.of(new MasterView(0, true, 3, 1, List.of(ready(1, 3)))).ready(), "stopping");
    }

    @Test
    void liveWhileTheLoopPublishes() {
        MetricsSnapshot s = new MetricsState().snapshot(new MasterView(1_000, false, 1, 1, List.of(ready(1, 1))));
        assertEquals(200, Health.live(s, 1_000 + TimeUnit.SECONDS.toNanos(1)).status());
        assertEquals(200, Health.ready(s, 1_000 + TimeUnit.SECONDS.toNanos(1)).status());
        Health.Answer stuck = Health.live(s, 1_000 + TimeUnit.SECONDS.toNanos(6));
        assertEquals(503, stuck.status());
        assertTrue(stuck.body().startsWith("not live: the master's loop last ran 6.0 s ago"), stuck.body());
        assertEquals(503, Health.ready(s, 1_000 + TimeUnit.SECONDS.toNanos(6)).status(), "a stuck master is not ready");
        assertEquals(503, Health.ready(MetricsSnapshot.starting(0), 0).status());
    }

    @Test
    void theLibraryWritesItAsPrometheusText() throws IOException {
        MetricsState state = new MetricsState();
        state.sampled(10, 1, served(5, 2));
        state.booted(1.5);
        state.reloads(1, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out,
                new MetricsCollector(() -> state.snapshot(view(1, 1, ready(10, 1)))).collect());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("gunicorn_requests_total{status=\"200\"} 5.0\n"), text);
        // buckets cumulative: the 5 quick ones in every bucket, the 2 slow 404s only in +Inf
        assertTrue(text.contains("gunicorn_request_duration_seconds_bucket{status=\"200\",le=\"0.005\"} 5\n"), text);
        assertTrue(text.contains("gunicorn_request_duration_seconds_bucket{status=\"404\",le=\"10.0\"} 0\n"), text);
        assertTrue(text.contains("gunicorn_request_duration_seconds_bucket{status=\"404\",le=\"+Inf\"} 2\n"), text);
        assertTrue(text.contains("gunicorn_request_duration_seconds_count{status=\"404\"} 2\n"), text);
        assertTrue(text.contains("gunicorn_request_duration_seconds_sum{status=\"404\"} 40.0\n"), text);
        assertTrue(text.contains("gunicorn_worker_busy_threads{generation=\"1\",pid=\"10\"} 1.0\n"), text);
        assertTrue(text.contains("gunicorn_worker_gc_seconds_total{generation=\"1\",pid=\"10\"} 0.04\n"), text);
        assertTrue(text.contains("gunicorn_workers{state=\"ready\"} 1.0\n"), text);
        assertTrue(text.contains("gunicorn_reloads_total{result=\"success\"} 1.0\n"), text);
        assertTrue(text.contains("gunicorn_worker_boot_seconds_bucket{le=\"2.0\"} 1\n"), text);
        assertTrue(text.contains("gunicorn_ready 1.0\n"), text);
    }
}
