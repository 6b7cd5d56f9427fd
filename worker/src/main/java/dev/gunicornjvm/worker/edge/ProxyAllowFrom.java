package dev.gunicornjvm.worker.edge;

import java.net.SocketAddress;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
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
 * Refusing is throwing: Jetty's PROXY connection catches it, logs it and closes the connection; the
 * worker serves on.
 */
final class ProxyAllowFrom extends AbstractConnectionFactory {
    static final String PROTOCOL = "proxy-allow-from";
    private static final Logger LOG = LogManager.getLogger(ProxyAllowFrom.class);

    private final TrustedPeers allowed;

    ProxyAllowFrom(TrustedPeers allowed) {
        super(PROTOCOL);
        this.allowed = allowed;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (endPoint instanceof ProxyConnectionFactory.ProxyEndPoint proxied) {
            SocketAddress peer = proxied.unwrap().getRemoteSocketAddress();
            if (!allowed.trusts(peer)) {
                String why = "PROXY header from " + TrustedPeers.describe(peer) + ", which is not in --proxy-allow-from " + allowed
                        + ": connection closed (add the load balancer's address to --proxy-allow-from)";
                LOG.warn(why);
                throw new SecurityException(why);
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
