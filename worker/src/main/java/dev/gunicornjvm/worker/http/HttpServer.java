package dev.gunicornjvm.worker.http;

import dev.gunicornjvm.common.pipe.WorkerFds;
import dev.gunicornjvm.common.posix.InheritedFd;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.RequestLog;
import dev.gunicornjvm.worker.edge.ConnectionFactories;
import dev.gunicornjvm.worker.edge.GoAway;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 on the inherited listeners, with Gunicorn's request checks, the access log and a graceful
 * drain that loses nothing, in front of the app's handler (which a Servlet environment makes).
 */
public final class HttpServer {
    /** Threads Jetty needs besides request threads: per listener one acceptor and one selector. */
    private static final int THREADS_PER_LISTENER = 2;

    private final Server server;
    /** Every request log added, before the warm-up filter (see {@link #addRequestLog}). */
    private RequestLog requestLogs;
    private final QueuedThreadPool pool;
    private final java.util.concurrent.atomic.AtomicBoolean probePending = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long lastProbeNanos = System.nanoTime();
    private final Drain drain = new Drain();
    private final List<InheritedConnector> connectors = new ArrayList<>();
    private final RequestLimits limits;
    private final TransferCodings codings = new TransferCodings();
    /** A standby's warm-up connector until it has run; null for a worker. */
    private Warmup warmup;

    /**
     * @param protocols        what each listener speaks (TLS, HTTP/2, the PROXY protocol)
     * @param threads          request threads (Gunicorn's --threads)
     * @param keepAliveSeconds how long an idle keep-alive connection stays open
     * @param standby          start parked: accept nothing on the listeners until {@link #accept()}, and
     *                         take the warm-up request ({@link #warmUp}) on a private connector
     */
    public HttpServer(List<ListenerSpec> listeners, ConnectionFactories protocols, int threads, int keepAliveSeconds,
                      RequestLimits limits, boolean standby) throws java.io.IOException {
        this.limits = limits;
        int maxThreads = threads + THREADS_PER_LISTENER * listeners.size() + 1 + (standby ? Warmup.THREADS : 0);
        pool = new QueuedThreadPool(maxThreads, Math.min(maxThreads, 4));
        pool.setName("http");
        pool.setReservedThreads(0);
        server = new Server(pool);
        HttpConfiguration config = httpConfiguration(limits);
        for (int i = 0; i < listeners.size(); i++) {
            ListenerSpec spec = listeners.get(i);
            InheritedConnector connector = new InheritedConnector(server,
                    InheritedFd.listener(WorkerFds.FIRST_LISTENER + i, spec.family()), spec.tcp(), spec.url(),
                    protocols.forListener(spec.tls(), config));
            connector.setIdleTimeout(TimeUnit.SECONDS.toMillis(Math.max(1, keepAliveSeconds)));
            // Parked: its acceptor thread waits on a condition, not in accept(), until promoted.
            connector.setAccepting(!standby);
            connectors.add(connector);
            server.addConnector(connector);
        }
        if (standby) {
            warmup = new Warmup(server, config);
        }
        drain.setHandler(limits);
        limits.setHandler(codings);
        server.setHandler(drain);
        server.setStopAtShutdown(false);
    }

    /**
     * What every listener's HTTP/1.1 connection uses. Strict RFC 9110/9112 parsing: bad request lines,
     * bad header names or values, bare CR or LF, and conflicting Content-Length/Transfer-Encoding are
     * answered 400 and the connection closed, so nothing can smuggle a second request past this worker
     * or a proxy in front of it. A body the app leaves unread is read by Jetty after the answer (to find
     * the next request) only if it has fully arrived; otherwise, or if it is malformed, the connection is
     * closed.
     */
    static HttpConfiguration httpConfiguration(RequestLimits limits) {
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setHttpCompliance(org.eclipse.jetty.http.HttpCompliance.RFC9110);
        config.setRequestHeaderSize(limits.headerBlockBytes());
        config.setSendDateHeader(true);
        return config;
    }

    /**
     * Adds what sees each finished request (the access log, StatsD, the metrics' counter); Jetty takes one,
     * so several go in a Collection. A standby's warm-up request reaches none of them: it is neither logged
     * nor counted.
     */
    public void addRequestLog(RequestLog log) {
        requestLogs = requestLogs == null ? log : new RequestLog.Collection(requestLogs, log);
        RequestLog all = requestLogs;
        server.setRequestLog((request, response) -> {
            if (!Warmup.isWarmup(request)) {
                all.log(request, response);
            }
        });
    }

    /** The Jetty server, for what the app's deployment registers on it; before start(). */
    public Server server() {
        return server;
    }

    /** The request threads, for the metrics (busy threads, queued requests). */
    public QueuedThreadPool threadPool() {
        return pool;
    }

    /** The app's handler, behind the drain and Gunicorn's request checks; before start(). */
    public void setApp(Handler app) {
        codings.setHandler(app);
    }

    public void start() throws Exception {
        server.start();
    }

    /**
     * A standby's warm-up request to {@code path}, through the whole handler chain and the app; the
     * private connector goes away afterwards. Returns the answer's status line.
     */
    public String warmUp(String path) throws Exception {
        Warmup w = warmup;
        warmup = null;
        return w.run(path);
    }

    /** A promoted standby starts accepting on the shared listeners. */
    public void accept() {
        connectors.forEach(c -> c.setAccepting(true));
    }

    /** Stops Jetty, which calls the app's destroy(); used after a drain, when nothing is in flight. */
    public void stop() throws Exception {
        server.setStopTimeout(1000);
        server.stop();
    }

    /**
     * True if the request thread pool ran a probe task within the last {@code windowMillis}. Each call
     * queues a new probe unless one is still waiting: a pool whose every thread is stuck never runs it.
     */
    public boolean progressing(long windowMillis) {
        if (probePending.compareAndSet(false, true)) {
            pool.execute(() -> {
                lastProbeNanos = System.nanoTime();
                probePending.set(false);
            });
        }
        return System.nanoTime() - lastProbeNanos < TimeUnit.MILLISECONDS.toNanos(windowMillis);
    }

    public long served() {
        return drain.served();
    }

    /**
     * Graceful stop: stop accepting (other workers take new connections from the shared queue), answer
     * every request still arriving on open HTTP/1.1 connections with {@code Connection: close}, send
     * GOAWAY on HTTP/2 ones (their streams in flight finish), and return once no connection is left or
     * the deadline passes.
     *
     * <p>Kept-alive connections are not closed here: their client may be sending its next request at
     * that very moment, and would see the connection closed unanswered (wrk under load did, when they
     * were closed after 50 quiet ms). Each ends with its next request, answered with Connection: close,
     * or when it has been idle for --keep-alive, as any kept-alive connection does.
     *
     * @return true if everything finished before the deadline
     */
    public boolean drain(long timeoutMillis) throws InterruptedException {
        drain.startDraining();
        for (InheritedConnector c : connectors) {
            c.setAccepting(false);
            c.close();
            GoAway.toEveryHttp2Session(c);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() - deadline < 0) {
            boolean open = false;
            for (InheritedConnector c : connectors) {
                // A connection accepted just as the listener closed is still on its way to a selector.
                open |= c.handingOver() || !c.getConnectedEndPoints().isEmpty();
            }
            if (!open && drain.idle()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
