package dev.gunicornjvm.master.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.control.WorkerState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The endpoint itself, on a real socket: the paths, and an address another process still holds. */
class MetricsServerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePathsAndWaitsForAnAddressInUse() throws Exception {
        AtomicLong now = new AtomicLong(5_000);
        MetricsSnapshot snapshot = new MetricsState().snapshot(new MasterView(5_000, false, 1, 1,
                List.of(new WorkerView(7, 1, WorkerState.READY, false))));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            try (MetricsServer server = MetricsServer.start(new MetricsSettings("127.0.0.1", port), () -> snapshot,
                    now::get)) {
                taken.close(); // the old master of an upgrade exits
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                HttpResponse<String> live = null;
                while (live == null) {
                    try {
                        live = get(port, "/health/live");
                    } catch (IOException e) {
                        assertTrue(System.nanoTime() < deadline, "still not serving: " + e);
                        Thread.sleep(50);
                    }
                }
                assertEquals(200, live.statusCode());
                HttpResponse<String> ready = get(port, "/health/ready");
                assertEquals(200, ready.statusCode());
                assertEquals("ready: 1/1 workers of generation 1\n", ready.body());
                HttpResponse<String> metrics = get(port, "/metrics");
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.body().contains("gunicorn_workers{state=\"ready\"} 1.0"), metrics.body());
                assertEquals(404, get(port, "/").statusCode());
                now.addAndGet(Health.LOOP_SILENCE_NANOS + 1); // the loop stopped publishing
                assertEquals(503, get(port, "/health/live").statusCode());
                assertEquals(503, get(port, "/health/ready").statusCode());
            }
        }
    }
}
