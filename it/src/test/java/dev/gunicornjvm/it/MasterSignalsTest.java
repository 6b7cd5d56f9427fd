package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The master's signals, as the spec lists them, sent with kill(1) to a real master. */
@Tag("signals")
class MasterSignalsTest {
    @Test
    void quitLetsTheRequestInFlightFinishThenEveryProcessExits() throws Exception {
        try (Gunicorn g = Gunicorn.hello(2, "--threads", "2")) {
            g.awaitServingWorkers(2);
            Path pidfile = g.dir().resolve("gunicorn.pid");
            SlowRequest slow = SlowRequest.send(g, 3, true);
            g.signal("QUIT");
            g.awaitOutput("\\[INFO\\] Handling signal: quit", Duration.ofSeconds(30));
            Wait.until("new connections to be refused while draining", Duration.ofSeconds(2),
                    () -> Http.getClosing("127.0.0.1", g.port(), "/").error() != null);
            Http.Reply reply = slow.await(Duration.ofSeconds(20));
            assertEquals(200, reply.status(), "the request in flight completes: " + reply);
            assertEquals(slow.worker(), reply.workerPid());
            assertEquals("close", reply.header("Connection"), "the client is told not to reuse the connection");
            assertEquals(0, g.awaitExit(Duration.ofSeconds(20)));
            g.awaitAllGone(Duration.ofSeconds(30));
            assertTrue(g.output().contains("Worker exiting (pid: " + slow.worker() + ")"), g.output());
            assertTrue(g.output().contains("Shutting down: Master"), g.output());
            assertTrue(g.output().contains("hello: destroyed in worker " + slow.worker()), "the app was destroyed");
            assertFalse(Files.exists(pidfile), "pidfile removed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void termAndIntStopEverythingWithinTwoSecondsEvenWithARequestInFlight(String signal) throws Exception {
        try (Gunicorn g = Gunicorn.hello(2, "--threads", "2")) {
            List<Long> workers = g.awaitServingWorkers(2);
            SlowRequest.send(g, 30);
            long start = System.nanoTime();
            g.signal(signal);
            assertEquals(0, g.awaitExit(Duration.ofSeconds(2)));
            Wait.until("workers gone", Duration.ofMillis(Math.max(1, 2000 - (System.nanoTime() - start) / 1_000_000)),
                    () -> workers.stream().noneMatch(Procs::alive));
            assertTrue(g.output().contains("Handling signal: " + signal.toLowerCase()), g.output());
        }
    }

    @Test
    void kill9OfTheMasterLeavesNoWorkerServing() throws Exception {
        try (Gunicorn g = Gunicorn.hello(2)) {
            List<Long> workers = g.awaitServingWorkers(2);
            int port = g.port();
            Procs.kill("KILL", g.pid());
            g.awaitExit(Duration.ofSeconds(10));
            Wait.until("workers to exit after the master died", Duration.ofSeconds(30),
                    () -> workers.stream().noneMatch(Procs::alive));
            assertFalse(Http.getClosing("127.0.0.1", port, "/").ok(), "nothing serves after the master is gone");
        }
    }

    @Test
    void kill9OfTheMasterLetsTheRequestsInFlightFinish() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            long worker = g.awaitServingWorkers(1).get(0);
            SlowRequest slow = SlowRequest.send(g, 2);
            Procs.kill("KILL", g.pid());
            g.awaitExit(Duration.ofSeconds(10));
            assertTrue(slow.await(Duration.ofSeconds(60)).ok(), "the worker drained instead of cutting the request");
            g.awaitOutput("Parent changed, shutting down: worker \\(pid: " + worker + "\\)", Duration.ofSeconds(30));
            Wait.until("the worker to exit once its request is answered", Duration.ofSeconds(30), () -> !Procs.alive(worker));
            assertFalse(Http.getClosing("127.0.0.1", g.port(), "/").ok(), "nothing serves after the master is gone");
        }
    }

    @Test
    void aForegroundMasterIgnoresWinch() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1, "--log-level", "debug")) {
            List<Long> workers = g.awaitServingWorkers(1);
            g.signal("WINCH"); // a terminal sends it on every resize
            g.awaitOutput("\\[DEBUG\\] SIGWINCH ignored. Not daemonized", Duration.ofSeconds(30));
            assertTrue(Http.get(g.url("/")).ok());
            assertEquals(workers, g.workers());
            assertTrue(g.process().isAlive());
        }
    }

    @Test
    void ttinAddsAWorkerAndTtouRetiresTheOldestButNeverTheLast() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            long first = g.awaitServingWorkers(1).get(0);
            g.signal("TTIN");
            g.awaitOutput("Number of workers: 2 \\(TTIN\\)", Duration.ofSeconds(30));
            List<Long> two = g.awaitServingWorkers(2);
            g.signal("TTOU");
            g.awaitOutput("Number of workers: 1 \\(TTOU\\)", Duration.ofSeconds(30));
            Wait.until("the oldest worker to be retired", Duration.ofSeconds(30), () -> !Procs.alive(first));
            List<Long> one = g.awaitServingWorkers(1);
            assertTrue(two.contains(one.get(0)) && one.get(0) != first, "the newer worker stays: " + one);
            g.signal("TTOU");
            g.awaitOutput("TTOU never goes below one worker", Duration.ofSeconds(30));
            assertEquals(one, g.workers());
        }
    }

    @Test
    void usr1ReopensTheLogFiles() throws Exception {
        Path dir = Scratch.dir("gunicorn-usr1-");
        Path error = dir.resolve("error.log");
        Path access = dir.resolve("access.log");
        try (Gunicorn g = Gunicorn.hello(1, "--error-logfile", error.toString(), "--access-logfile", access.toString())) {
            long worker = g.awaitServingWorkers(1).get(0);
            Files.move(error, dir.resolve("error.log.1"));
            Files.move(access, dir.resolve("access.log.1"));
            g.signal("USR1");
            Wait.until("the master to reopen " + error, Duration.ofSeconds(30), () -> Files.exists(error)
                    && Gunicorn.read(error).contains("Reopened log files"));
            Wait.until("the worker to reopen its logs", Duration.ofSeconds(30),
                    () -> Gunicorn.read(error).contains("[" + worker + "] [INFO] Reopened log files"));
            assertFalse(Gunicorn.read(dir.resolve("error.log.1")).contains("Reopened log files"));
            assertTrue(Http.get(g.url("/after-usr1")).ok());
            Wait.until("the request in the new " + access, Duration.ofSeconds(30),
                    () -> Gunicorn.read(access).contains("/after-usr1"));
            assertFalse(Gunicorn.read(dir.resolve("access.log.1")).contains("/after-usr1"));
        }
    }
}
