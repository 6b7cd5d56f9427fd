package dev.gunicornjvm.worker.http;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
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
    /** Requests in flight: counted, not their connections, since an HTTP/2 connection carries several. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        inFlight.incrementAndGet();
        boolean counted = !Warmup.isWarmup(request);
        Callback done = Callback.from(callback, () -> {
            inFlight.decrementAndGet();
            if (counted) {
                served.incrementAndGet();
            }
        });
        boolean handled;
        try {
            handled = super.handle(request, new ClosingWhenDraining(request, response), done);
        } catch (Throwable t) {
            inFlight.decrementAndGet();
            throw t;
        }
        if (!handled) {
            inFlight.decrementAndGet();
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
        return inFlight.get() == 0;
    }

    /**
     * Adds {@code Connection: close} to a response committed while draining. On HTTP/2 Jetty leaves the
     * header out (it is not allowed there); GOAWAY does that job (see {@code edge.GoAway}).
     */
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
