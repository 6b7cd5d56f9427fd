package dev.gunicornjvm.master.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The master's metrics and health endpoint (--metrics-bind), on its own address and thread, apart from
 * the app's listeners: /metrics (Prometheus text, or OpenMetrics when the scraper asks), /health/live
 * and /health/ready. Its thread only reads the latest {@link MetricsSnapshot} the loop published.
 *
 * <p>During a binary upgrade the new master wants the same address while the old one still holds it:
 * it tries again every second until the old master has gone, and serves from then on.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    private static final long RETRY_MILLIS = 1000;

    private final MetricsSettings settings;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HttpHandler health;
    private final ExecutorService threads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "metrics-http");
        t.setDaemon(true);
        return t;
    });
    private volatile HTTPServer server;
    private volatile boolean closed;

    private MetricsServer(MetricsSettings settings, Supplier<MetricsSnapshot> snapshots, LongSupplier nanos) {
        this.settings = settings;
        registry.register(new MetricsCollector(snapshots));
        this.health = exchange -> answer(exchange, snapshots.get(), nanos.getAsLong());
    }

    /** Serves at once, or, if another process holds the address, as soon as it is free. */
    public static MetricsServer start(MetricsSettings settings, Supplier<MetricsSnapshot> snapshots, LongSupplier nanos) {
        MetricsServer m = new MetricsServer(settings, snapshots, nanos);
        try {
            m.bind();
        } catch (BindException e) {
            LOG.warn("Metrics address {} in use ({}); trying again every second", settings.text(), e.getMessage());
            m.retry();
        } catch (IOException e) {
            LOG.error("No metrics endpoint: cannot listen at {}: {}", settings.text(), e.getMessage());
        }
        return m;
    }

    private void bind() throws IOException {
        HTTPServer s = HTTPServer.builder().hostname(settings.host()).port(settings.port()).registry(registry)
                .metricsHandlerPath("/metrics").registerHealthHandler(false).defaultHandler(health)
                .executorService(threads).buildAndStart();
        server = s;
        if (closed) {
            s.close();
            return;
        }
        LOG.info("Metrics at: {}", MetricsSettings.url(settings.host(), s.getPort()));
    }

    private void retry() {
        Thread t = new Thread(() -> {
            while (!closed && server == null) {
                try {
                    Thread.sleep(RETRY_MILLIS);
                    bind();
                } catch (BindException e) {
                    // still held
                } catch (IOException e) {
                    LOG.error("No metrics endpoint: cannot listen at {}: {}", settings.text(), e.getMessage());
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "metrics-bind");
        t.setDaemon(true);
        t.start();
    }

    private static void answer(HttpExchange exchange, MetricsSnapshot snapshot, long now) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Health.Answer a = switch (path) {
                case "/health/live" -> Health.live(snapshot, now);
                case "/health/ready" -> Health.ready(snapshot, now);
                default -> new Health.Answer(404, "not found: the paths are /metrics, /health/live and /health/ready");
            };
            byte[] body = (a.body() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(a.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        HTTPServer s = server;
        if (s != null) {
            s.close();
        }
        threads.shutdownNow();
    }
}
