package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Signals sent straight to workers, and what the master does when a worker dies or hangs. */
@Tag("signals")
class WorkerSignalsTest {
    @Test
    void aKilledWorkerIsReplacedAndReaped() throws Exception {
        try (Gunicorn g = Gunicorn.hello(2)) {
            List<Long> before = g.awaitServingWorkers(2);
            long victim = before.get(0);
            Procs.kill("KILL", victim);
            g.awaitOutput("Worker \\(pid:" + victim + "\\) was sent SIGKILL!", Duration.ofSeconds(30));
            List<Long> after = g.awaitServingWorkers(2);
            assertFalse(after.contains(victim));
            assertTrue(after.contains(before.get(1)), "the other worker was left alone");
        }
    }

    @Test
    void quitToAWorkerFinishesItsRequestThenTheMasterReplacesIt() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1, "--threads", "2")) {
            long worker = g.awaitServingWorkers(1).get(0);
            SlowRequest slow = SlowRequest.send(g, 2);
            assertEquals(worker, slow.worker());
            Procs.kill("QUIT", worker);
            Http.Reply reply = slow.await(Duration.ofSeconds(20));
            assertEquals(200, reply.status(), "the request in flight completes: " + reply);
            g.awaitOutput("\\[" + worker + "\\] \\[INFO\\] Worker exiting \\(pid: " + worker + "\\)", Duration.ofSeconds(30));
            List<Long> after = g.awaitServingWorkers(1);
            assertFalse(after.contains(worker));
        }
    }

    @Test
    void termToAWorkerStopsItAtOnceAndTheMasterReplacesIt() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1, "--threads", "2")) {
            long worker = g.awaitServingWorkers(1).get(0);
            SlowRequest slow = SlowRequest.send(g, 30);
            long start = System.nanoTime();
            Procs.kill("TERM", worker);
            Wait.until("the worker to exit", Duration.ofSeconds(2), () -> !Procs.alive(worker));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
            assertFalse(slow.await(Duration.ofSeconds(5)).ok(), "a quick stop abandons the request in flight");
            List<Long> after = g.awaitServingWorkers(1);
            assertFalse(after.contains(worker));
        }
    }

    @Test
    void termToADrainingWorkerStopsItAtOnce() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1, "--threads", "2")) {
            long worker = g.awaitServingWorkers(1).get(0);
            SlowRequest.send(g, 30);
            Procs.kill("QUIT", worker);
            long start = System.nanoTime();
            Procs.kill("TERM", worker);
            Wait.until("the draining worker to exit on TERM", Duration.ofSeconds(2), () -> !Procs.alive(worker));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
        }
    }

    @Test
    void usr1ToAWorkerIsNotFatal() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            long worker = g.awaitServingWorkers(1).get(0);
            Procs.kill("USR1", worker);
            Procs.kill("HUP", worker); // not a worker signal: ignored
            assertTrue(Http.get(g.url("/")).ok());
            assertEquals(List.of(worker), g.workers());
        }
    }

    @Tag("once") // master logic only: run on JDK 17, not again on 25 (it/pom.xml)
    @Test
    void aWorkerSilentForLongerThanTheTimeoutIsKilledAndReplaced() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1, "--timeout", "2")) {
            long worker = g.awaitServingWorkers(1).get(0);
            Procs.kill("STOP", worker); // a stopped JVM sends no heartbeats
            g.awaitOutput("\\[CRITICAL\\] WORKER TIMEOUT \\(pid:" + worker + "\\)", Duration.ofSeconds(30));
            g.awaitOutput("Thread dump of worker \\(pid:" + worker + "\\)", Duration.ofSeconds(30));
            Wait.until("the silent worker to be killed", Duration.ofSeconds(10), () -> !Procs.alive(worker));
            List<Long> after = g.awaitServingWorkers(1);
            assertFalse(after.contains(worker));
        }
    }
}
