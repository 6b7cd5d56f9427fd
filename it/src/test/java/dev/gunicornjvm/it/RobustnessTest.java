package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recycling, hung workers, workers that never boot, and crash loops. */
class RobustnessTest {
    @Test
    void maxRequestsRecyclesWorkersOneAtATimeAndNoRequestFails() throws Exception {
        try (Gunicorn g = Gunicorn.hello(2, "--threads", "4", "--max-requests", "200", "--max-requests-jitter", "50")) {
            List<Long> first = g.awaitServingWorkers(2);
            try (Load load = Load.start(g, 4)) {
                Wait.until("three recycled workers", Duration.ofSeconds(90), () -> g.outputMatches(
                        "served \\d+ requests \\(--max-requests\\); replacing it") >= 3);
                load.awaitMore(100);
                load.close();
                assertEquals(List.of(), load.failures(), load.ok() + " succeeded");
            }
            Wait.until("the first workers to be replaced", Duration.ofSeconds(30),
                    () -> first.stream().noneMatch(Procs::alive));
            assertEquals(2, g.awaitServingWorkers(2).size());
        }
    }

    @Test
    void aWorkerWhoseEveryThreadIsStuckIsKilledAfterAThreadDumpThatShowsWhere() throws Exception {
        try (Gunicorn g = Gunicorn.start("-w", "1", "--threads", "1", "-t", "3", "-b", "127.0.0.1:0",
                "-cp", Gunicorn.FIXTURES.toString(), "fixtures.StuckServlet")) {
            long worker = g.awaitServingWorkers(1).get(0);
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> Http.getClosing("127.0.0.1", g.port(), "/?stuck=1"));
                t.setDaemon(true);
                t.start();
            }
            g.awaitOutput("\\[CRITICAL\\] WORKER TIMEOUT \\(pid:" + worker + "\\)", Duration.ofSeconds(20));
            g.awaitOutput("Thread dump of worker \\(pid:" + worker + "\\)", Duration.ofSeconds(20));
            g.awaitOutput("fixtures\\.StuckServlet\\.doGet", Duration.ofSeconds(30));
            Wait.until("the stuck worker to be replaced", Gunicorn.BOOT,
                    () -> !Procs.alive(worker) && g.workers().size() == 1);
        }
    }

    @Test
    void oneSlowRequestAmongFreeThreadsIsNotATimeout() throws Exception {
        try (Gunicorn g = Gunicorn.start("-w", "1", "--threads", "4", "-t", "2", "-b", "127.0.0.1:0",
                "-cp", Gunicorn.FIXTURES.toString(), "fixtures.StuckServlet")) {
            long worker = g.awaitServingWorkers(1).get(0);
            Thread t = new Thread(() -> Http.getClosing("127.0.0.1", g.port(), "/?stuck=1"));
            t.setDaemon(true);
            t.start();
            long until = System.nanoTime() + Duration.ofSeconds(6).toNanos(); // three timeouts long
            Wait.until("6 s of quick requests beside the stuck one", Duration.ofSeconds(20), () -> {
                assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok());
                return System.nanoTime() - until > 0;
            });
            assertFalse(g.output().contains("WORKER TIMEOUT"), g.output());
            assertEquals(List.of(worker), g.workers());
        }
    }

    @Test
    void aWorkerThatNeverBootsStopsTheMasterAtTheBootTimeout() throws Exception {
        try (Gunicorn g = Gunicorn.start("-w", "1", "--boot-timeout", "3", "-b", "127.0.0.1:0",
                "-cp", Gunicorn.FIXTURES.toString(), "fixtures.SlowInitServlet")) {
            assertEquals(3, g.awaitExit(Duration.ofSeconds(30)), g.output());
            assertTrue(g.output().contains("not accepting 3 s after it was started (--boot-timeout)"), g.output());
            assertTrue(g.output().contains("Shutting down: Worker failed to boot."), g.output());
            g.awaitAllGone(Duration.ofSeconds(30));
        }
    }

    @Test
    void aCrashLoopBacksOffWithOneLinePerStep() throws Exception {
        try (Gunicorn g = Gunicorn.start("-w", "1", "-b", "127.0.0.1:0",
                "-cp", Gunicorn.FIXTURES.toString(), "fixtures.CrashSoonServlet")) {
            g.awaitOutput("Crash loop: worker \\(pid:\\d+\\) died \\d+ ms after it started accepting;"
                    + " next worker in 1000 ms \\(1 failures in a row\\)", Duration.ofSeconds(30));
            g.awaitOutput("next worker in 2000 ms \\(2 failures in a row\\)", Duration.ofSeconds(30));
            assertTrue(g.process().isAlive(), "the master stays up");
            assertEquals(1, g.outputMatches("\\(2 failures in a row\\)"), "one line per step");
        }
    }
}
