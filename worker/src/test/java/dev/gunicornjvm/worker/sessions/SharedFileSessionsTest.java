package dev.gunicornjvm.worker.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.session.SessionHandler;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real Jetty servers, standing for two workers, with their sessions in one directory through
 * {@link SessionStores}: a session counter must count across both, whichever answers, and what one
 * invalidates the other must not serve. Each server has its own store and cache instances, as two
 * worker processes would.
 */
class SharedFileSessionsTest {
    @TempDir
    Path sessions;
    private final List<Server> servers = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** A worker: GET /count adds one to the session's count, GET /invalidate ends the session. */
    private int worker() throws Exception {
        return worker(SessionStores.ACCESS_SAVE_SECONDS);
    }

    /** @param accessSaveSeconds how often a session that was only read is written back */
    private int worker(int accessSaveSeconds) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        SessionStores.install(server, SessionStores.FILE_PREFIX + sessions, accessSaveSeconds);
        SessionHandler sessionHandler = new SessionHandler();
        sessionHandler.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Session session = request.getSession(true);
                if (request.getHttpURI().getPath().equals("/hold")) {
                    session.getAttribute("count");
                    holding.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    response.write(true, java.nio.ByteBuffer.wrap("held".getBytes(StandardCharsets.UTF_8)), callback);
                    return true;
                }
                if (request.getHttpURI().getPath().equals("/invalidate")) {
                    session.invalidate();
                    response.write(true, java.nio.ByteBuffer.wrap("gone".getBytes(StandardCharsets.UTF_8)), callback);
                    return true;
                }
                Integer count = (Integer) session.getAttribute("count");
                int next = count == null ? 1 : count + 1;
                session.setAttribute("count", next);
                response.write(true, java.nio.ByteBuffer.wrap(Integer.toString(next).getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.setHandler(new ContextHandler(sessionHandler, "/"));
        server.start();
        servers.add(server);
        return connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        for (Server server : servers) {
            server.stop();
        }
    }

    private HttpResponse<String> get(int port, String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts a session on a worker (count 1); returns its cookie. */
    private String newSession(int port) throws IOException, InterruptedException {
        HttpResponse<String> first = get(port, "/count", null);
        assertEquals("1", first.body());
        return first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    /** A request that holds the session in the worker until {@link #release} is counted down. */
    private java.util.concurrent.CompletableFuture<HttpResponse<String>> hold(int port, String cookie)
            throws InterruptedException {
        var held = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(holding.await(10, TimeUnit.SECONDS), "the request holding the session in worker " + port);
        return held;
    }

    @Test
    void aSessionCountsAcrossWorkersWhicheverAnswers() throws Exception {
        int a = worker();
        int b = worker();
        String cookie = newSession(a);
        int[] order = {b, b, a, b, a, a, a, b, a, b, b, a, b, a, b, a, b, a, b, a};
        for (int i = 0; i < order.length; i++) {
            assertEquals(Integer.toString(i + 2), get(order[i], "/count", cookie).body(), "request " + (i + 2));
        }
        try (Stream<Path> files = Files.list(sessions)) {
            assertEquals(1, files.count(), "one file per session, no temporary files left");
        }
    }

    @Test
    void aSessionInvalidatedByOneWorkerIsGoneForTheOther() throws Exception {
        int a = worker();
        int b = worker();
        String cookie = newSession(a);
        assertEquals("2", get(b, "/count", cookie).body());
        assertEquals("gone", get(a, "/invalidate", cookie).body());
        HttpResponse<String> after = get(b, "/count", cookie);
        assertEquals("1", after.body(), "a new session, not the invalidated one");
        assertTrue(after.headers().firstValue("Set-Cookie").isPresent());
    }

    /**
     * A worker still holds a session for a request in flight when another worker changes it: that
     * worker's next request must get the changed session, and the request in flight, which only read
     * it, must not write its older copy back over the change when it ends.
     */
    @Test
    void aCopyHeldByARequestInFlightIsNotServedOnceAnotherWorkerChangedTheSession() throws Exception {
        int a = worker();
        int b = worker();
        String cookie = newSession(b);
        var held = hold(b, cookie);
        assertEquals("2", get(a, "/count", cookie).body());
        assertEquals("3", get(b, "/count", cookie).body(), "b reads what a saved, not its cached copy");
        release.countDown();
        assertEquals("held", held.get(10, TimeUnit.SECONDS).body());
        assertEquals("4", get(a, "/count", cookie).body(), "the held request wrote nothing back");
    }

    /** Even when a read-only session is due to be written back, an older copy never resurrects one. */
    @Test
    void aCopyHeldByARequestInFlightDoesNotBringBackASessionAnotherWorkerEnded() throws Exception {
        int a = worker(0);
        int b = worker(0);
        String cookie = newSession(b);
        var held = hold(b, cookie);
        assertEquals("gone", get(a, "/invalidate", cookie).body());
        release.countDown();
        assertEquals("held", held.get(10, TimeUnit.SECONDS).body());
        assertEquals("1", get(a, "/count", cookie).body(), "the ended session stays ended");
    }
}
