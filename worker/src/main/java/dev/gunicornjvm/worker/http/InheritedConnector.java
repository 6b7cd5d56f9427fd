package dev.gunicornjvm.worker.http;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.EndPoint;
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
    /** Connections accepted and handed to a selector, not yet among the connected endpoints. */
    private final AtomicInteger handedOver = new AtomicInteger();
    /** True while the acceptor thread is inside {@link #accept(int)}. */
    private volatile boolean inAccept;

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
        inAccept = true;
        try {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (AsynchronousCloseException e) {
                if (!isAccepting()) {
                    return; // we closed it to stop accepting: not a failure
                }
                throw e;
            }
            handedOver.incrementAndGet();
            try {
                accepted.configureBlocking(false);
                if (tcp) {
                    accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                getSelectorManager().accept(accepted);
            } catch (IOException | RuntimeException e) {
                handedOver.decrementAndGet(); // no selector will open it
                throw e;
            }
        } finally {
            inAccept = false;
        }
    }

    @Override
    protected void onEndPointOpened(EndPoint endPoint) {
        super.onEndPointOpened(endPoint);
        handedOver.decrementAndGet();
    }

    /**
     * True while a connection this connector accepted may not be among its connected endpoints yet:
     * its acceptor is inside accept(), or a selector has not opened the connection it was handed. A
     * drain that stopped the server then would close that connection unanswered.
     */
    public boolean handingOver() {
        return inAccept || handedOver.get() > 0;
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
