package dev.gunicornjvm.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous client load while a test operates the server: half the clients reuse keep-alive
 * connections (the JDK HttpClient), half open a new connection per request. Counts every request that
 * did not end in 200, and which worker and app version answered. Bounded: it stops itself after
 * {@code MAX}.
 */
final class Load implements AutoCloseable {
    private static final Duration MAX = Duration.ofSeconds(120);

    private final AtomicLong ok = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final Map<Long, String> versionByWorker = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long deadline = System.nanoTime() + MAX.toNanos();
    private volatile boolean running = true;

    private Load(Gunicorn g, int clients, String path) {
        int port = g.port();
        for (int i = 0; i < clients; i++) {
            boolean keepAlive = i % 2 == 0;
            Thread t = new Thread(() -> {
                while (running && System.nanoTime() - deadline < 0) {
                    Http.Reply r = keepAlive ? Http.get("http://127.0.0.1:" + port + path, Duration.ofSeconds(30))
                            : Http.getClosing("127.0.0.1", port, path);
                    if (r.ok()) {
                        ok.incrementAndGet();
                        versionByWorker.put(r.workerPid(), AppJar.version(r));
                    } else {
                        failures.add((keepAlive ? "keep-alive: " : "new connection: ") + r.status() + " " + r.error());
                    }
                }
            }, "load-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    static Load start(Gunicorn g, int clients) {
        return start(g, clients, "/");
    }

    /** Load on one path of the app (which must answer "... worker PID (version N)"). */
    static Load start(Gunicorn g, int clients, String path) {
        Load load = new Load(g, clients, path);
        load.threads.forEach(Thread::start);
        Wait.until("the load to get answers", Duration.ofSeconds(30), () -> load.ok.get() > 10);
        return load;
    }

    /** Waits until at least {@code more} further requests succeeded. */
    void awaitMore(long more) {
        long target = ok.get() + more;
        Wait.until(more + " more successful requests", Duration.ofSeconds(30), () -> ok.get() >= target);
    }

    long ok() {
        return ok.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    Map<Long, String> versionByWorker() {
        return Map.copyOf(versionByWorker);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(35_000);
        }
    }
}
