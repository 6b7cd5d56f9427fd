package dev.gunicornjvm.worker.http;

import dev.gunicornjvm.common.logging.Logging;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * One line per request in Gunicorn's default access log format,
 * {@code %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"}:
 * {@code 127.0.0.1 - - [28/Nov/2026:06:15:58 +0000] "GET / HTTP/1.1" 200 57 "-" "curl/7.88.1"}.
 */
public final class AccessLog implements RequestLog {
    private static final Logger LOG = LogManager.getLogger(Logging.ACCESS_LOGGER);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public void log(Request request, Response response) {
        if (!LOG.isInfoEnabled() || Warmup.isWarmup(request)) {
            return;
        }
        String uri = request.getHttpURI().getPathQuery();
        long bytes = Response.getContentBytesWritten(response);
        String time = ZonedDateTime.ofInstant(
                java.time.Instant.ofEpochMilli(Request.getTimeStamp(request)), zone).format(TIME);
        LOG.info("{} - - [{}] \"{} {} {}\" {} {} \"{}\" \"{}\"",
                remoteHost(request), time, request.getMethod(), uri, request.getConnectionMetaData().getProtocol(),
                response.getStatus(), bytes > 0 ? bytes : "-",
                orDash(request.getHeaders().get(HttpHeader.REFERER)),
                orDash(request.getHeaders().get(HttpHeader.USER_AGENT)));
    }

    private static String remoteHost(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        if (remote instanceof InetSocketAddress inet) {
            // From X-Forwarded-For or Forwarded, Jetty makes an unresolved address: its text is the client's.
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return "-"; // a Unix-domain peer has no address
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
