package dev.gunicornjvm.it;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A request to the hello app that takes {@code seconds}, running beside the test. */
final class SlowRequest {
    private final CompletableFuture<Http.Reply> reply;
    private final long worker;

    private SlowRequest(CompletableFuture<Http.Reply> reply, long worker) {
        this.reply = reply;
        this.worker = worker;
    }

    /** Sends it and returns once a worker has it in flight (the app says so on stderr). */
    static SlowRequest send(Gunicorn g, double seconds) {
        return send(g, seconds, false);
    }

    /** @param keepAlive send it as HTTP/1.1 on a connection the client means to reuse */
    static SlowRequest send(Gunicorn g, double seconds, boolean keepAlive) {
        String before = g.output();
        String path = "/?sleep=" + seconds;
        CompletableFuture<Http.Reply> reply = CompletableFuture.supplyAsync(() -> keepAlive
                ? Http.get(g.url(path)) : Http.getClosing("127.0.0.1", g.port(), path));
        String marker = "hello: request sleeping " + seconds + " s in worker (\\d+)";
        long worker = Long.parseLong(Wait.forValue("the slow request to be in flight", Duration.ofSeconds(30), () -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(marker).matcher(g.output().substring(before.length()));
            return m.find() ? m.group(1) : null;
        }));
        return new SlowRequest(reply, worker);
    }

    long worker() {
        return worker;
    }

    Http.Reply await(Duration limit) {
        try {
            return reply.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("slow request did not finish: " + e);
        }
    }
}
