package dev.gunicornjvm.hooks;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A request as the per-request hooks see it: a copy, not the server's object.
 *
 * @param method        GET, POST, ...
 * @param path          the path, without the query
 * @param query         the query string without '?', or null
 * @param remoteAddress the client's address as the app sees it (after --forwarded-allow-ips)
 * @param headers       the request headers by name, names compared ignoring case; read-only
 */
public record RequestInfo(String method, String path, String query, String remoteAddress,
                          Map<String, List<String>> headers) {
    public RequestInfo {
        headers = Collections.unmodifiableMap(headers);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
