package dev.gunicornjvm.it;

import dev.gunicornjvm.common.control.WorkerState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.control.ControlResponse;
import dev.gunicornjvm.common.control.MasterStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Signal storms and control-socket crowds: the master stays responsive and consistent, and leaks nothing. */
class StormTest {
    private static final List<String> SIGNALS = List.of("TTIN", "TTOU", "HUP", "USR1");

    @Test
    void aBurstOfMixedSignalsAndManyControlClientsEndsConsistentWithoutLeaks() throws Exception {
        try (Gunicorn g = Gunicorn.hello(2)) {
            g.awaitServingWorkers(2);
            Path socket = ControlClient.socketOf(g);
            int fdsBefore = fds(g.pid());
            Random random = new Random(42);
            ExecutorService clients = Executors.newFixedThreadPool(16);
            List<Future<ControlResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(clients.submit(() -> ControlClient.call(socket, "status", null)));
            }
            try (Load load = Load.start(g, 2)) {
                for (int i = 0; i < 200; i++) {
                    g.signal(SIGNALS.get(random.nextInt(SIGNALS.size())));
                }
                for (Future<ControlResponse> answer : answers) {
                    assertTrue(answer.get(60, TimeUnit.SECONDS).ok(), "every control client got its answer");
                }
                clients.shutdown();
                // Settle: the last signals are handled once a status shows no reload in progress and
                // exactly the target number of workers, all ready, of the current generation.
                MasterStatus settled = Wait.forValue("the master to settle", Duration.ofSeconds(120), () -> {
                    MasterStatus s = status(socket);
                    boolean steady = s.workers().size() == s.targetWorkers()
                            && s.workers().stream().allMatch(w -> w.state() == WorkerState.READY
                                    && w.generation() == s.generation())
                            && (s.lastReload() == null || s.lastReload().done());
                    return steady ? s : null;
                });
                assertTrue(settled.targetWorkers() >= 1, "never below one worker");
                assertEquals(settled.targetWorkers(), g.workers().size(), "the processes match the master's table");
                load.close();
                assertEquals(List.of(), load.failures(), "no request failed during the storm (" + load.ok() + " did not)");
                assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok());
            }
            Wait.until("the master's fds to come back to " + fdsBefore, Duration.ofSeconds(30),
                    () -> fds(g.pid()) <= fdsBefore + 2 * (status(socket).targetWorkers() - 2) + 1);
            assertTrue(g.process().isAlive());
        }
    }

    private static MasterStatus status(Path socket) {
        try {
            return ControlClient.call(socket, "status", null).status();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int fds(long pid) {
        try (var list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) list.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
