package dev.gunicornjvm.worker.http;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A Jetty connector that accepts on a listener inherited from the master instead of binding one.
 *
 * <p>Jetty's own {@code ServerConnector.open(channel)} asks the channel for a {@code java.net.ServerSocket},
 * which Unix-domain channels do not have, so this connector keeps the channel itself and does the few
 * things ServerConnector would do with it. It uses one blocking acceptor thread: the listener's blocking
 * mode is shared with every process that holds it (JVM-FACTS 24), and the master leaves it blocking.
 * Closing the connector closes only this process's copy of the listener; it never calls
 * {@code shutdown()} on the socket, which would break it for every other worker (JVM-FACTS 23).
 */
public final class InheritedConnector extends ServerConnector {
    private final ServerSocketChannel channel;
    private final boolean tcp;
    private final String url;

    public InheritedConnector(Server server, ServerSocketChannel channel, boolean tcp, String url,
                              ConnectionFactory... factories) {
        super(server, 1, 1, factories);
        this.channel = channel;
        this.tcp = tcp;
        this.url = url;
    }

    @Override
    public void open() {
        // Already open: the master bound and listened.
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing our copy of the fd cannot fail in a way that matters.
        }
    }

    @Override
    public void accept(int acceptorId) throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        SocketChannel accepted;
        try {
            accepted = channel.accept();
        } catch (AsynchronousCloseException e) {
            if (!isAccepting()) {
                return; // we closed it to stop accepting: not a failure
            }
            throw e;
        }
        accepted.configureBlocking(false);
        if (tcp) {
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        getSelectorManager().accept(accepted);
    }

    @Override
    public Object getTransport() {
        return channel;
    }

    @Override
    public String toString() {
        return "InheritedConnector@" + url;
    }
}
