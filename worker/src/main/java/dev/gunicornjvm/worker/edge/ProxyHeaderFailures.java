package dev.gunicornjvm.worker.edge;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;

/**
 * Says in one line why a connection that began with a PROXY header was closed: refused (the peer is not
 * in --proxy-allow-from) or a malformed or incomplete header. Jetty's own warnings for these dump its
 * endpoint's internals instead, so the logging setup keeps them quiet.
 *
 * <p>It listens to the connections that read the PROXY header; one that closes with its socket closed
 * failed (one that succeeds hands its socket, still open, to the HTTP connection).
 */
final class ProxyHeaderFailures implements Connection.Listener {
    private static final Logger LOG = LogManager.getLogger(ProxyHeaderFailures.class);

    /** Sockets {@link ProxyAllowFrom} refused: said already. */
    private final Set<EndPoint> refused = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    /** The peer of each PROXY connection open: a closed socket no longer says. */
    private final Map<Connection, String> peers = Collections.synchronizedMap(new WeakHashMap<>());

    /** Listens to the connections of the v1 and v2 parsers of {@code proxy}. */
    void watch(ProxyConnectionFactory proxy) {
        for (ConnectionFactory.Detecting parser : proxy.getBeans(ConnectionFactory.Detecting.class)) {
            ((AbstractConnectionFactory) parser).addEventListener(this);
        }
    }

    /** A PROXY header refused: said now, with what to do about it. */
    void refused(EndPoint socket, TrustedPeers allowed) {
        refused.add(socket);
        LOG.warn("PROXY header from {}, which is not in --proxy-allow-from {}: connection closed (add the load"
                + " balancer's address to --proxy-allow-from)", TrustedPeers.describe(socket.getRemoteSocketAddress()),
                allowed);
    }

    @Override
    public void onOpened(Connection connection) {
        peers.put(connection, TrustedPeers.describe(connection.getEndPoint().getRemoteSocketAddress()));
    }

    @Override
    public void onClosed(Connection connection) {
        String peer = peers.remove(connection);
        EndPoint socket = connection.getEndPoint();
        if (socket.isOpen() || refused.remove(socket)) {
            return;
        }
        LOG.warn("Malformed or incomplete PROXY header from {}: connection closed (a front end must send PROXY"
                + " protocol v1 or v2, e.g. HAProxy's send-proxy or send-proxy-v2)", peer);
    }
}
