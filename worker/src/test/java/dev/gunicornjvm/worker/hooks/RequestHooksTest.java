package dev.gunicornjvm.worker.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.hooks.RequestInfo;
import dev.gunicornjvm.hooks.ResponseInfo;
import dev.gunicornjvm.hooks.ServerHooks;
import dev.gunicornjvm.hooks.WorkerInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** pre_request and post_request around an app in a real Jetty server (an in-memory connector). */
class RequestHooksTest {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger appCalls = new AtomicInteger();
    private Server server;
    private LocalConnector connector;

    /** Answers 201 "ok", or throws on /throw. */
    private final Handler app = new Handler.Abstract() {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            appCalls.incrementAndGet();
            if (request.getHttpURI().getPath().equals("/throw")) {
                throw new IllegalStateException("the app's own failure");
            }
            response.setStatus(201);
            response.write(true, java.nio.ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
            return true;
        }
    };

    /** Records both events; pre_request throws for a request with X-Refuse. */
    private final ServerHooks hooks = new ServerHooks() {
        @Override
        public void preRequest(WorkerInfo worker, RequestInfo request) {
            seen.add("pre " + request.method() + " " + request.path() + " " + request.query() + " "
                    + request.header("x-test") + " " + worker.pid());
            if (request.header("X-Refuse") != null) {
                throw new IllegalArgumentException("refused");
            }
        }

        @Override
        public void postRequest(WorkerInfo worker, RequestInfo request, ResponseInfo response) {
            seen.add("post " + request.path() + " " + response.status() + " " + response.failed()
                    + " " + (response.durationNanos() > 0));
            if (request.path().equals("/post-throws")) {
                throw new IllegalStateException("after");
            }
        }
    };

    private void start(boolean pre, boolean post) throws Exception {
        server = new Server();
        connector = new LocalConnector(server);
        server.addConnector(connector);
        server.setHandler(new RequestHooks(app, hooks, new WorkerInfo(7, 1, 0), pre, post));
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private String get(String target, String headers) throws Exception {
        return connector.getResponse("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers + "\r\n");
    }

    private void awaitSeen(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (seen.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + seen);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void bothHooksSeeTheRequestAndPostSeesHowItEnded() throws Exception {
        start(true, true);
        assertTrue(get("/a?b=c", "X-Test: 1\r\n").startsWith("HTTP/1.1 201"));
        awaitSeen(2);
        assertEquals(List.of("pre GET /a b=c 1 7", "post /a 201 false true"), seen);
    }

    @Test
    void aPreRequestThatThrowsAnswers500AndTheAppNeverSeesIt() throws Exception {
        start(true, true);
        assertTrue(get("/x", "X-Refuse: yes\r\n").startsWith("HTTP/1.1 500"));
        assertEquals(0, appCalls.get());
        awaitSeen(2);
        assertEquals("post /x 500 true true", seen.get(1));
        assertTrue(get("/y", "").startsWith("HTTP/1.1 201"), "the next request is served");
    }

    @Test
    void aPostRequestThatThrowsChangesNothingAndAnAppThatThrowsIsReported() throws Exception {
        start(false, true);
        assertTrue(get("/post-throws", "").startsWith("HTTP/1.1 201"));
        awaitSeen(1); // post_request runs once the response is complete: the client may have it already
        assertTrue(get("/throw", "").startsWith("HTTP/1.1 500"));
        awaitSeen(2);
        assertEquals(List.of("post /post-throws 201 false true", "post /throw 500 true true"), seen);
        assertFalse(seen.stream().anyMatch(s -> s.startsWith("pre")), "pre_request not overridden: not called");
    }
}
