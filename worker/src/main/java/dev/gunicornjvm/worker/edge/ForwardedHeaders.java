package dev.gunicornjvm.worker.edge;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.HostPort;

/**
 * Believes X-Forwarded-For, -Proto, -Host, -Port, RFC 7239 Forwarded and the --secure-scheme-headers
 * only from the --forwarded-allow-ips front ends; from anyone else they change nothing (the app still
 * sees them as plain headers, as Gunicorn passes them on). Jetty's {@link ForwardedRequestCustomizer}
 * does the work for trusted requests.
 *
 * <p>The peer judged is the one that wrote the request: the socket's peer, or, after a PROXY protocol
 * header, the client it names. A layer-4 balancer relays the client's bytes untouched, so trusting the
 * balancer's own address would let any client behind it forge X-Forwarded-For; an L7 proxy behind the
 * balancer (a CDN, nginx) is named by the PROXY header and trusted by its own address. Gunicorn judges
 * the socket's peer, which is the same without the PROXY protocol.
 *
 * <p>Of an X-Forwarded-For chain ({@code client, proxy1, proxy2}), the client is the rightmost address
 * that is not itself a trusted proxy, as nginx's real_ip_recursive finds it, so that a proxy that
 * appends to the header a client sent cannot be used to forge an address.
 *
 * <p>The secure-scheme headers decide the scheme as Gunicorn does: the first of them present says
 * https if its value is exactly the configured one, http otherwise, and two that disagree answer 400.
 * The verdict is handed to Jetty as X-Forwarded-Proto, so that one place sets scheme and isSecure().
 */
final class ForwardedHeaders implements HttpConfiguration.Customizer {
    private final TrustedPeers trusted;
    /** Header name (any case) to the value that means https. */
    private final Map<String, String> secureSchemeHeaders;
    private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();

    ForwardedHeaders(TrustedPeers trusted, Map<String, String> secureSchemeHeaders) {
        this.trusted = trusted;
        // Only the headers the docs name, so that a proxy config that sets (or clears) those is enough:
        // Jetty would also believe X-Forwarded-Server, X-Proxied-Https, Proxy-Ssl-Id and Proxy-auth-cert.
        forwarded.setForwardedServerHeader(null);
        forwarded.setForwardedHttpsHeader(null);
        forwarded.setForwardedSslSessionIdHeader(null);
        forwarded.setForwardedCipherSuiteHeader(null);
        // Looked up for every header of every trusted request: case-insensitive without allocating.
        TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(secureSchemeHeaders);
        this.secureSchemeHeaders = Collections.unmodifiableSortedMap(byName);
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        if (!trusted.trusts(request.getConnectionMetaData().getRemoteSocketAddress())) {
            return request;
        }
        HttpFields headers = request.getHeaders();
        HttpFields.Mutable amended = null;
        String scheme = secureScheme(headers);
        if (scheme != null && !scheme.equals(headers.get(HttpHeader.X_FORWARDED_PROTO))) {
            amended = HttpFields.build(headers).put(HttpHeader.X_FORWARDED_PROTO, scheme);
        }
        List<String> chain = headers.contains(HttpHeader.X_FORWARDED_FOR)
                ? headers.getCSV(HttpHeader.X_FORWARDED_FOR, false) : List.of();
        if (chain.size() > 1) {
            amended = (amended == null ? HttpFields.build(headers) : amended).put(HttpHeader.X_FORWARDED_FOR, client(chain));
        }
        if (amended != null) {
            HttpFields fields = amended.asImmutable();
            request = new Request.Wrapper(request) {
                @Override
                public HttpFields getHeaders() {
                    return fields;
                }
            };
        }
        return forwarded.customize(request, responseHeaders);
    }

    /**
     * The client in an X-Forwarded-For chain: the rightmost entry that is not a trusted proxy. Each proxy
     * appends the peer it got the request from, so entries left of the first untrusted one are whatever
     * that peer claimed (Jetty alone would take the leftmost, which any client can write).
     */
    private String client(List<String> chain) {
        for (int i = chain.size() - 1; i > 0; i--) {
            String entry = chain.get(i);
            if (!trusted.trustsAddress(host(entry))) {
                return entry;
            }
        }
        return chain.get(0);
    }

    private static String host(String entry) {
        try {
            return new HostPort(entry).getHost();
        } catch (IllegalArgumentException e) {
            return entry; // not an address: never trusted
        }
    }

    /** "https" or "http" as the secure-scheme headers say, or null when none is present. */
    private String secureScheme(HttpFields headers) {
        String scheme = null;
        String decidedBy = null;
        for (HttpField field : headers) {
            String expected = secureSchemeHeaders.get(field.getName());
            if (expected == null) {
                continue;
            }
            String said = expected.equals(field.getValue()) ? "https" : "http";
            if (scheme == null) {
                scheme = said;
                decidedBy = field.getName() + ": " + field.getValue();
            } else if (!scheme.equals(said)) {
                throw new HttpException.RuntimeException(HttpStatus.BAD_REQUEST_400, "Contradictory scheme headers ("
                        + decidedBy + " and " + field.getName() + ": " + field.getValue() + ")");
            }
        }
        return scheme;
    }
}
