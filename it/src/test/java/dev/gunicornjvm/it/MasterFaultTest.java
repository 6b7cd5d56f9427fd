package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** kill -9 of a master in the middle of a reload or an upgrade: no orphans, and a restart works. */
@Tag("signals")
class MasterFaultTest {
    @Test
    void kill9DuringAReloadLeavesNoWorkerAndARestartWorks() throws Exception {
        Path dir = Files.createTempDirectory("gunicorn-fault-hup-");
        Path pidfile = dir.resolve("app.pid");
        Set<Long> workers = new HashSet<>();
        try (Gunicorn g = start(pidfile)) {
            workers.addAll(g.awaitServingWorkers(2));
            g.signal("HUP");
            Wait.until("the new generation to be booting", Duration.ofSeconds(30), () -> {
                workers.addAll(g.workers());
                return workers.size() >= 3;
            });
            Procs.kill("KILL", g.pid());
            g.awaitExit(Duration.ofSeconds(10));
            Wait.until("every worker, old and new, to exit", Duration.ofSeconds(5),
                    () -> workers.stream().noneMatch(Procs::alive));
        }
        assertTrue(Files.exists(pidfile), "a stale pidfile is left behind");
        assertTrue(Files.exists(Path.of(pidfile + ".ctl")), "and the control directory");
        try (Gunicorn again = start(pidfile)) {
            again.awaitServingWorkers(2);
            assertEquals(Long.toString(again.pid()), Gunicorn.read(pidfile).trim());
        }
    }

    @Test
    void kill9OfTheOldMasterDuringAnUpgradeLeavesItsWorkersNoRoomAndTheNewMasterServes() throws Exception {
        Path dir = Files.createTempDirectory("gunicorn-fault-usr2-");
        Path pidfile = dir.resolve("app.pid");
        try (Gunicorn g = start(pidfile)) {
            List<Long> oldWorkers = g.awaitServingWorkers(2);
            g.signal("USR2");
            long fresh = Long.parseLong(g.awaitOutput("started a new master \\(pid: (\\d+)\\)", Duration.ofSeconds(60))
                    .group(1));
            Wait.until("the new master's workers", Duration.ofSeconds(60), () -> g.workersOf(fresh).size() == 2);
            Procs.kill("KILL", g.pid());
            g.awaitExit(Duration.ofSeconds(10));
            Wait.until("the old master's workers to exit", Duration.ofSeconds(5),
                    () -> oldWorkers.stream().noneMatch(Procs::alive));
            assertTrue(Procs.alive(fresh), "the new master lives on");
            assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok(), "and serves");
            assertEquals(Long.toString(fresh), Gunicorn.read(pidfile).trim());
            Procs.kill("QUIT", fresh);
            Wait.until("the new master to exit", Duration.ofSeconds(30), () -> !Procs.alive(fresh));
        }
        try (Gunicorn again = start(pidfile)) {
            again.awaitServingWorkers(2); // the stale .oldbin and control sockets do not stop a restart
        }
    }

    private static Gunicorn start(Path pidfile) throws java.io.IOException {
        return Gunicorn.start("-w", "2", "-b", "127.0.0.1:0", "-p", pidfile.toString(),
                "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO);
    }
}
