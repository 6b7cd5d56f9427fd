package dev.gunicornjvm.common.edge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a worker meets the network in front of it: the HTTP versions it speaks, which peers it trusts to
 * tell it the real client (forwarded headers, the PROXY protocol), and its TLS keys. The master
 * validates the options into one of these; the worker builds its Jetty connection factories from it.
 *
 * @param http2               speak HTTP/2 too (h2 over TLS by ALPN, h2c on plain listeners): --http-protocols h1,h2
 * @param forwardedAllowIps   peers whose X-Forwarded-* and Forwarded headers are believed (addresses or
 *                            CIDR ranges; "*" is everyone): --forwarded-allow-ips
 * @param secureSchemeHeaders header name to value that, from a trusted peer, says the request came over
 *                            https (Gunicorn's secure_scheme_headers), in order
 * @param proxyProtocol       accept a PROXY protocol v1 or v2 header before the first request: --proxy-protocol
 * @param proxyAllowFrom      peers allowed to send a PROXY header (addresses or CIDR ranges; "*" is everyone)
 * @param tls                 the keys of the TLS listeners, or null when no listener uses TLS
 */
public record EdgeSettings(
        boolean http2,
        List<String> forwardedAllowIps,
        Map<String, String> secureSchemeHeaders,
        boolean proxyProtocol,
        List<String> proxyAllowFrom,
        TlsSettings tls) {

    /** Gunicorn's defaults: trust loopback, its three secure-scheme headers, no PROXY protocol, no TLS. */
    public static final EdgeSettings DEFAULT = new EdgeSettings(false, List.of("127.0.0.1", "::1"),
            gunicornSecureSchemeHeaders(), false, List.of("127.0.0.1", "::1"), null);

    public EdgeSettings {
        forwardedAllowIps = List.copyOf(forwardedAllowIps);
        secureSchemeHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(
                Objects.requireNonNull(secureSchemeHeaders, "secureSchemeHeaders")));
        proxyAllowFrom = List.copyOf(proxyAllowFrom);
    }

    /** Gunicorn's secure_scheme_headers default. */
    public static Map<String, String> gunicornSecureSchemeHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-FORWARDED-PROTOCOL", "ssl");
        headers.put("X-FORWARDED-PROTO", "https");
        headers.put("X-FORWARDED-SSL", "on");
        return headers;
    }

    /** The same with other TLS keys (a generation's own copy of them). */
    public EdgeSettings withTls(TlsSettings newTls) {
        return new EdgeSettings(http2, forwardedAllowIps, secureSchemeHeaders, proxyProtocol, proxyAllowFrom, newTls);
    }
}
