package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.control.WorkerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * --standby with real processes: a parked standby takes no request, and becomes a worker (same pid)
 * on TTIN, when a worker is killed, and when one recycles; a standby that dies is replaced, and
 * standbys retire with their generation on HUP and with the master on QUIT.
 */
class StandbyTest {
    private static MasterStatus status(Gunicorn g) {
        try {
            return ControlClient.call(ControlClient.socketOf(g), "status", Map.of()).status();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a parked standby of this generation other than {@code not}; returns its pid. */
    private static long parkedStandby(Gunicorn g, int generation, long not) {
        return Wait.forValue("a parked standby of generation " + generation, Gunicorn.BOOT, () -> {
            Optional<MasterStatus.Worker> parked = status(g).workers().stream()
                    .filter(w -> w.state() == WorkerState.STANDBY && w.generation() == generation && w.pid() != not)
                    .findFirst();
            return parked.map(w -> (long) w.pid()).orElse(null);
        });
    }

    @Test
    void ttinAndAKilledWorkerPromoteTheStandbyAndADeadStandbyIsReplaced() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1, "--standby", "1", "--threads", "2")) {
            long first = g.awaitServingWorkers(1).get(0);
            long standby = parkedStandby(g, 1, 0);
            assertTrue(Procs.cmdline(standby).startsWith("gunicorn: standby [example.HelloServlet]"), Procs.cmdline(standby));
            for (int i = 0; i < 20; i++) {
                assertEquals(first, Http.getClosing("127.0.0.1", g.port(), "/").workerPid(), "a standby accepts nothing");
            }

            g.signal("TTIN");
            assertTrue(g.awaitServingWorkers(2).contains(standby), "TTIN promoted the standby: " + g.output());
            assertTrue(Procs.cmdline(standby).startsWith("gunicorn: worker ["), Procs.cmdline(standby));
            g.awaitOutput("Promoted standby worker \\(pid: " + standby + "\\)", Duration.ofSeconds(5));

            long second = parkedStandby(g, 1, standby);
            Procs.kill("KILL", first);
            List<Long> serving = g.awaitServingWorkers(2);
            assertTrue(serving.contains(second) && serving.contains(standby), "the standby replaced the killed worker");

            long third = parkedStandby(g, 1, second);
            Procs.kill("KILL", third);
            long fourth = parkedStandby(g, 1, third);
            assertNotEquals(third, fourth, "a standby that died is replaced");

            g.signal("QUIT");
            assertEquals(0, g.awaitExit(Duration.ofSeconds(30)));
            g.awaitAllGone(Duration.ofSeconds(30));
        }
    }

    @Test
    void aRecyclingWorkerIsReplacedByTheStandbyAndHupRetiresTheOldGenerationsStandby() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1, "--standby", "1", "--max-requests", "20")) {
            long worker = g.awaitServingWorkers(1).get(0);
            long standby = parkedStandby(g, 1, 0);
            for (int i = 0; i < 30 && Procs.alive(worker); i++) {
                Http.getClosing("127.0.0.1", g.port(), "/");
            }
            g.awaitOutput("Promoted standby worker \\(pid: " + standby + "\\)", Gunicorn.BOOT);
            Wait.until("the recycled worker to exit", Gunicorn.BOOT, () -> !Procs.alive(worker));
            assertEquals(List.of(standby), g.awaitServingWorkers(1));

            long oldStandby = parkedStandby(g, 1, standby);
            g.signal("HUP");
            parkedStandby(g, 2, 0);
            Wait.until("generation 1's standby to retire", Gunicorn.BOOT, () -> !Procs.alive(oldStandby));
            assertEquals(1, status(g).workers().stream().filter(w -> w.standby()).count(), "one standby: " + status(g));
        }
    }

    @Test
    void winchStopsTheStandbyWithTheWorkersAndHupBringsBothBack() throws Exception {
        java.nio.file.Path dir = Scratch.dir("gunicorn-standby-winch-");
        java.nio.file.Path pidfile = dir.resolve("app.pid");
        try (Gunicorn launcher = Gunicorn.start("-D", "-w", "1", "--standby", "1", "-b", "127.0.0.1:0",
                "-p", pidfile.toString(), "--error-logfile", dir.resolve("error.log").toString(),
                "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            assertEquals(0, launcher.awaitExit(Duration.ofSeconds(60)), launcher.output());
            long daemon = Long.parseLong(Gunicorn.read(pidfile).trim());
            try {
                java.nio.file.Path socket = dir.resolve("app.pid.ctl").resolve(daemon + ".sock");
                long standby = Wait.forValue("a parked standby", Gunicorn.BOOT, () -> {
                    try {
                        return ControlClient.call(socket, "status", Map.of()).status().workers().stream()
                                .filter(w -> w.state() == WorkerState.STANDBY).map(w -> (long) w.pid()).findFirst().orElse(null);
                    } catch (IOException e) {
                        return null;
                    }
                });
                Procs.kill("WINCH", daemon);
                Wait.until("the worker and the standby to stop", Duration.ofSeconds(30),
                        () -> Procs.children(daemon).stream().noneMatch(p -> Procs.cmdline(p).startsWith("gunicorn: worker [")
                                || Procs.cmdline(p).startsWith("gunicorn: standby [")));
                assertTrue(!Procs.alive(standby) && Procs.alive(daemon), "the standby stopped, the master stays");

                Procs.kill("HUP", daemon);
                Wait.until("a worker and a standby again", Gunicorn.BOOT, () -> launcher.workersOf(daemon).size() == 1
                        && Procs.children(daemon).stream().anyMatch(p -> Procs.cmdline(p).startsWith("gunicorn: standby [")));
            } finally {
                Procs.children(daemon).forEach(p -> Procs.kill("KILL", p));
                if (Procs.alive(daemon)) {
                    Procs.kill("KILL", daemon);
                }
            }
        }
    }
}
