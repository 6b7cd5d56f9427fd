package dev.gunicornjvm.worker.http;

import dev.gunicornjvm.common.logging.AccessLogFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.message.MapMessage;

/**
 * {@code --access-log-json}: each request as one JSON object, with every atom under a readable key and
 * the headers and attributes the format names. Log4j's {@link MapMessage} writes the JSON (escaping
 * included), with its keys in alphabetical order. A value that is missing is {@code null}, not {@code -};
 * numbers are JSON numbers.
 *
 * <p>Keys: {@code remote_addr} (h), {@code user} (u), {@code time} (ISO 8601, when the request began),
 * {@code request} (r), {@code method} (m), {@code path} (U), {@code query} (q), {@code protocol} (H),
 * {@code status} (s), {@code bytes} (B), {@code referer} (f), {@code user_agent} (a), {@code duration_ms}
 * (M), {@code duration_us} (D), {@code pid} (p); and {@code request_headers}, {@code response_headers},
 * {@code attributes}: objects of the {@code {name}i}, {@code {name}o} and {@code {name}e} of the format,
 * by their names in lower case (attributes as written).
 */
final class AccessLogJson {
    private final List<String> requestHeaders;
    private final List<String> responseHeaders;
    private final List<String> attributes;
    private final ZoneId zone;
    private final long pid;

    AccessLogJson(AccessLogFormat format, ZoneId zone, long pid) {
        this.requestHeaders = format.requestHeaders();
        this.responseHeaders = format.responseHeaders();
        this.attributes = format.parts().stream()
                .filter(p -> p instanceof AccessLogFormat.Lookup l && l.kind() == 'e')
                .map(p -> ((AccessLogFormat.Lookup) p).name()).distinct().toList();
        this.zone = zone;
        this.pid = pid;
    }

    /** The request as a message whose JSON form ({@code asString("JSON")}) is the line. */
    @SuppressWarnings({"rawtypes", "unchecked"}) // MapMessage's self type is of no use here
    MapMessage message(LoggedExchange e) {
        MapMessage m = new MapMessage(24);
        long nanos = e.durationNanos();
        m.with("remote_addr", e.remoteAddr());
        m.with("user", (Object) AccessLogLine.basicUser(e.requestHeader("Authorization")));
        m.with("time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(e.startMillis()).atZone(zone)));
        m.with("request", e.method() + " " + e.target() + " " + e.protocol());
        m.with("method", e.method());
        m.with("path", e.path());
        m.with("query", (Object) e.query());
        m.with("protocol", e.protocol());
        m.with("status", e.status());
        m.with("bytes", e.bytes());
        m.with("referer", (Object) e.requestHeader("Referer"));
        m.with("user_agent", (Object) e.requestHeader("User-Agent"));
        m.with("duration_ms", nanos / 1_000_000L);
        m.with("duration_us", nanos / 1_000L);
        m.with("pid", pid);
        if (!requestHeaders.isEmpty()) {
            Map<String, Object> headers = new LinkedHashMap<>();
            requestHeaders.forEach(name -> headers.put(name, e.requestHeader(name)));
            m.with("request_headers", headers);
        }
        if (!responseHeaders.isEmpty()) {
            Map<String, Object> headers = new LinkedHashMap<>();
            responseHeaders.forEach(name -> headers.put(name, e.responseHeader(name)));
            m.with("response_headers", headers);
        }
        if (!attributes.isEmpty()) {
            Map<String, Object> values = new LinkedHashMap<>();
            attributes.forEach(name -> {
                Object value = e.attribute(name);
                values.put(name, value == null ? null : value.toString());
            });
            m.with("attributes", values);
        }
        return m;
    }

    /** The JSON line. */
    String render(LoggedExchange e) {
        return message(e).asString("JSON");
    }
}
