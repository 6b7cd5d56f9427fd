package dev.gunicornjvm.worker.http;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts requests and makes a graceful stop lose nothing.
 *
 * <p>Jetty's own graceful stop answers a new request on an already-open keep-alive connection with
 * 503 (JVM-FACTS 21), which a client counts as a failure. Instead, once draining, every request is
 * still served, and every response not yet committed (new requests, and slow ones that were in flight
 * when the drain began) carries {@code Connection: close}, so the client opens its next connection to
 * the listener, where another worker accepts it. The drain loop in {@link HttpServer} waits until no
 * request is in flight ({@link #idle()}) and no connection is left.
 */
public final class Drain extends Handler.Wrapper {
    private final AtomicLong served = new AtomicLong();
    private final Set<Connection> busy = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        busy.add(connection);
        boolean counted = !Warmup.isWarmup(request);
        Callback done = Callback.from(callback, () -> {
            busy.remove(connection);
            if (counted) {
                served.incrementAndGet();
            }
        });
        boolean handled;
        try {
            handled = super.handle(request, new ClosingWhenDraining(request, response), done);
        } catch (Throwable t) {
            busy.remove(connection);
            throw t;
        }
        if (!handled) {
            busy.remove(connection);
        }
        return handled;
    }

    /** Requests completed so far, sent to the master with each heartbeat. */
    public long served() {
        return served.get();
    }

    public void startDraining() {
        draining = true;
    }

    public boolean idle() {
        return busy.isEmpty();
    }

    /** Adds {@code Connection: close} to a response committed while draining. */
    private final class ClosingWhenDraining extends Response.Wrapper {
        ClosingWhenDraining(Request request, Response wrapped) {
            super(request, wrapped);
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (draining && !isCommitted()) {
                getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            super.write(last, content, callback);
        }
    }
}
