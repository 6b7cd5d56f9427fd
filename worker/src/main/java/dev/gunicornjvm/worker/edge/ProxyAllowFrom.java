package dev.gunicornjvm.worker.edge;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ProxyConnectionFactory;

/**
 * Stands right after Jetty's {@link ProxyConnectionFactory} and refuses a PROXY header from a peer not
 * in --proxy-allow-from: anyone who can reach the port could otherwise claim to be any client. Every
 * connection passes through here, with or without a PROXY header; one without is served as it is,
 * whoever its peer.
 *
 * <p>Jetty detects and parses the header (v1 or v2) and hands the connection on with a
 * {@link ProxyConnectionFactory.ProxyEndPoint}, whose {@code unwrap()} is the socket and its real peer.
 * Refusing is throwing: Jetty's PROXY connection catches it and closes the connection; the worker
 * serves on.
 */
final class ProxyAllowFrom extends AbstractConnectionFactory {
    static final String PROTOCOL = "proxy-allow-from";

    private final TrustedPeers allowed;
    private final ProxyHeaderFailures failures;

    ProxyAllowFrom(TrustedPeers allowed, ProxyHeaderFailures failures) {
        super(PROTOCOL);
        this.allowed = allowed;
        this.failures = failures;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (endPoint instanceof ProxyConnectionFactory.ProxyEndPoint proxied) {
            EndPoint socket = proxied.unwrap();
            if (!allowed.trusts(socket.getRemoteSocketAddress())) {
                failures.refused(socket, allowed);
                throw new SecurityException("PROXY header from a peer not in --proxy-allow-from");
            }
        }
        String next = findNextProtocol(connector, PROTOCOL);
        ConnectionFactory factory = next == null ? null : connector.getConnectionFactory(next);
        if (factory == null) {
            throw new IllegalStateException("no protocol after " + PROTOCOL + " in " + connector.getProtocols());
        }
        return factory.newConnection(connector, endPoint);
    }
}
