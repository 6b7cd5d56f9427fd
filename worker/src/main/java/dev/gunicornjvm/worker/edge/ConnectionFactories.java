package dev.gunicornjvm.worker.edge;

import dev.gunicornjvm.common.edge.EdgeSettings;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The Jetty protocol stack of one listener, from the master's {@link EdgeSettings}: TLS with ALPN to
 * choose h2 or HTTP/1.1, or plain HTTP/1.1 with h2c beside it. All of it is Jetty's own.
 */
public final class ConnectionFactories {
    private final EdgeSettings edge;
    /** Shared by every TLS listener: the keys are loaded once per worker. Null without TLS. */
    private final SslContextFactory.Server tls;
    /** X-Forwarded-* and Forwarded, believed from --forwarded-allow-ips only. */
    private final ForwardedHeaders forwarded;

    /** Reads the TLS keys now (before the worker drops privileges; the files are the master's). */
    public ConnectionFactories(EdgeSettings edge) {
        this.edge = edge;
        this.tls = edge.tls() == null ? null : TlsContext.server(edge.tls());
        this.forwarded = new ForwardedHeaders(new TrustedPeers(edge.forwardedAllowIps()), edge.secureSchemeHeaders());
    }

    /**
     * The factories of a listener, the first being the one a new connection starts with.
     *
     * @param config the HTTP configuration every listener shares (limits, compliance)
     */
    public ConnectionFactory[] forListener(boolean useTls, HttpConfiguration config) {
        HttpConfiguration http = new HttpConfiguration(config);
        http.addCustomizer(forwarded);
        if (useTls) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Gunicorn does not compare SNI with Host; clients that reach it by address send no SNI at all.
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
        }
        List<ConnectionFactory> factories = new ArrayList<>();
        if (edge.proxyProtocol()) {
            // Jetty detects a v1 or v2 header (a connection without one is served as it is), then the gate.
            ProxyConnectionFactory proxy = new ProxyConnectionFactory(ProxyAllowFrom.PROTOCOL);
            ProxyHeaderFailures failures = new ProxyHeaderFailures();
            failures.watch(proxy);
            factories.add(proxy);
            factories.add(new ProxyAllowFrom(new TrustedPeers(edge.proxyAllowFrom()), failures));
        }
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        if (useTls) {
            if (tls == null) {
                throw new IllegalStateException("a TLS listener but no TLS keys from the master");
            }
            if (edge.http2()) {
                // Offers the protocols of the factories after it: h2, then HTTP/1.1 (also when a client offers no ALPN).
                ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
                alpn.setDefaultProtocol(h1.getProtocol());
                factories.add(new SslConnectionFactory(tls, alpn.getProtocol()));
                factories.add(alpn);
                factories.add(new HTTP2ServerConnectionFactory(http));
            } else {
                factories.add(new SslConnectionFactory(tls, h1.getProtocol()));
            }
            factories.add(h1);
        } else {
            factories.add(h1);
            if (edge.http2()) {
                factories.add(new HTTP2CServerConnectionFactory(http));
            }
        }
        return factories.toArray(ConnectionFactory[]::new);
    }
}
