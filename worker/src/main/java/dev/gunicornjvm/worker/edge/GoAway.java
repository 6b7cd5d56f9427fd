package dev.gunicornjvm.worker.edge;

import org.eclipse.jetty.http2.SessionContainer;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;

/**
 * The HTTP/2 half of a graceful drain. An HTTP/1.1 client learns from {@code Connection: close} on its
 * next response that it must reconnect; an HTTP/2 client ignores that header (it is not allowed in
 * HTTP/2) and would go on opening streams on its connection until the worker's graceful timeout ran out.
 * GOAWAY is what tells it: Jetty's session sends one saying no new stream will be taken, lets the
 * streams in flight finish, then closes the connection, so the drain sees it go like any other.
 */
public final class GoAway {
    private GoAway() {
    }

    /**
     * Sends GOAWAY on every HTTP/2 connection of the connector (h2 by ALPN, h2c by prior knowledge or by
     * an HTTP/1.1 Upgrade), and on any it opens from now on. Returns at once.
     */
    public static void toEveryHttp2Session(Connector connector) {
        for (ConnectionFactory factory : connector.getConnectionFactories()) {
            if (factory instanceof AbstractHTTP2ServerConnectionFactory h2) {
                // The factory's container of its sessions; once shut down it also shuts down sessions
                // that open later (a connection accepted just before the listener closed).
                SessionContainer sessions = h2.getBean(SessionContainer.class);
                if (sessions != null) {
                    sessions.shutdown();
                }
            }
        }
    }
}
