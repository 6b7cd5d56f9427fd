package dev.gunicornjvm.worker.http;

import dev.gunicornjvm.common.logging.AccessLogFormat;
import dev.gunicornjvm.common.logging.Logging;
import java.time.ZoneId;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * One access log line per request, in Gunicorn's {@code --access-logformat} (by default
 * {@code %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"}:
 * {@code 127.0.0.1 - - [28/Nov/2026:06:15:58 +0000] "GET / HTTP/1.1" 200 57 "-" "curl/7.88.1"}), or with
 * {@code --access-log-json} one JSON object. (A standby's warm-up request never gets here: see
 * {@link HttpServer#addRequestLog}.)
 */
public final class AccessLog implements RequestLog {
    private static final Logger LOG = LogManager.getLogger(Logging.ACCESS_LOGGER);

    private final AccessLogLine line;
    private final AccessLogJson json;

    /** @param json one JSON object per request instead of the format's line */
    public AccessLog(AccessLogFormat format, boolean json, long pid) {
        ZoneId zone = ZoneId.systemDefault();
        this.line = json ? null : new AccessLogLine(format, zone, pid);
        this.json = json ? new AccessLogJson(format, zone, pid) : null;
    }

    @Override
    public void log(Request request, Response response) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        LoggedExchange exchange = new JettyExchange(request, response);
        // A String is logged as is (no {} placeholders are looked for in it).
        LOG.info(line != null ? line.render(exchange) : json.render(exchange));
    }
}
