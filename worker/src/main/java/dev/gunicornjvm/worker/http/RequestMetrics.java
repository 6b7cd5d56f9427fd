package dev.gunicornjvm.worker.http;

import dev.gunicornjvm.common.statsd.StatsdSink;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;

/**
 * Gunicorn's StatsD metrics of each request (gunicorn/instrument/statsd.py {@code access()}), sent from
 * the request log as Gunicorn sends them from its access logger: {@code gunicorn.request.duration} (ms),
 * {@code gunicorn.requests} and {@code gunicorn.request.status.CODE} (counters). A standby's warm-up
 * request never gets here (see {@link HttpServer#addRequestLog}).
 */
public final class RequestMetrics implements RequestLog {
    private static final String[] STATUS_NAMES = new String[600];

    static {
        for (int status = 100; status < STATUS_NAMES.length; status++) {
            STATUS_NAMES[status] = "gunicorn.request.status." + status;
        }
    }

    private final StatsdSink sink;

    public RequestMetrics(StatsdSink sink) {
        this.sink = sink;
    }

    @Override
    public void log(Request request, Response response) {
        sink.timer("gunicorn.request.duration", TimeUnit.NANOSECONDS.toMillis(NanoTime.since(request.getBeginNanoTime())));
        sink.increment("gunicorn.requests");
        int status = response.getStatus();
        sink.increment(status >= 100 && status < STATUS_NAMES.length ? STATUS_NAMES[status]
                : "gunicorn.request.status." + status);
    }
}
