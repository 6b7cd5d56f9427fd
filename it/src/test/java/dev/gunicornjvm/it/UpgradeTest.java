package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * "Upgrading to a new binary on the fly", step by step as the spec writes it, each under continuous
 * client load that must see no failed request, checking the pidfiles at every step.
 */
@Tag("signals")
class UpgradeTest {
    private static final Duration STEP = Duration.ofSeconds(60);

    /** A running master and what the steps look at. */
    private record Setup(Gunicorn g, Path pidfile, Path oldbin, Path jar) {
        long pidIn(Path file) {
            return Long.parseLong(Gunicorn.read(file).trim());
        }

        /** USR2 to the old master; returns the new master once its workers serve and PIDFILE names it. */
        long usr2() {
            long old = g.pid();
            g.signal("USR2");
            g.awaitOutput("\\[" + old + "\\] \\[INFO\\] Upgrading: started a new master \\(pid: (\\d+)\\)", STEP);
            long fresh = Long.parseLong(g.awaitOutput("started a new master \\(pid: (\\d+)\\)", STEP).group(1));
            Wait.until("the new master to write PIDFILE and serve", STEP, () -> Files.exists(oldbin)
                    && Gunicorn.read(pidfile).trim().equals(Long.toString(fresh)) && g.workersOf(fresh).size() == 2);
            assertEquals(old, pidIn(oldbin), "PIDFILE.oldbin names the old master");
            assertTrue(Procs.cmdline(fresh).startsWith("gunicorn: master"), Procs.cmdline(fresh));
            return fresh;
        }

        /** The spec's last revert step: the new master goes, and PIDFILE names the old one again. */
        void stopNewMasterAndAwaitRevert(String signal, long fresh) {
            Procs.kill(signal, fresh);
            Wait.until("the new master to exit", STEP, () -> !Procs.alive(fresh));
            Wait.until("PIDFILE to name the old master again", STEP,
                    () -> Gunicorn.read(pidfile).trim().equals(Long.toString(g.pid())) && Files.notExists(oldbin));
        }

        void assertNoFailures(Load load) throws InterruptedException {
            load.awaitMore(100);
            load.close();
            assertEquals(List.of(), load.failures(), load.ok() + " succeeded");
        }
    }

    private static Setup start(String... extra) throws IOException {
        Path dir = Scratch.dir("gunicorn-upgrade-");
        Path jar = dir.resolve("app.jar");
        AppJar.build(jar, "1");
        Path pidfile = dir.resolve("app.pid");
        List<String> args = new java.util.ArrayList<>(List.of("-w", "2", "--threads", "4", "-b", "127.0.0.1:0",
                "-p", pidfile.toString(), "-cp", jar.toString()));
        args.addAll(List.of(extra));
        args.add(AppJar.SERVLET);
        Gunicorn g = Gunicorn.start(args.toArray(new String[0]));
        g.awaitServingWorkers(2);
        return new Setup(g, pidfile, dir.resolve("app.pid.oldbin"), jar);
    }

    @Test
    void usr2ThenWinchThenQuitToTheOldMasterLeavesOnlyTheNewServerWithTheNewCode() throws Exception {
        Setup s = start("--preload");
        try (Gunicorn g = s.g(); Load load = Load.start(g, 4)) {
            AppJar.build(s.jar(), "2"); // the new installation of the app; preloaded apps are loaded anew
            long fresh = s.usr2();
            List<Long> oldWorkers = g.workers();
            g.signal("WINCH");
            // A worker that is exiting loses its title before it is gone: wait for the processes.
            Wait.until("the old master's workers to drain", STEP, () -> oldWorkers.stream().noneMatch(Procs::alive));
            assertTrue(g.workers().isEmpty());
            g.signal("QUIT");
            assertEquals(0, g.awaitExit(STEP));
            assertEquals(fresh, s.pidIn(s.pidfile()), "PIDFILE names the new master");
            assertTrue(Files.notExists(s.oldbin()), "no PIDFILE.oldbin left");
            load.awaitMore(100);
            load.close();
            assertEquals(List.of(), load.failures(), load.ok() + " succeeded");
            assertTrue(load.versionByWorker().entrySet().stream()
                    .filter(e -> g.workersOf(fresh).contains(e.getKey())).allMatch(e -> e.getValue().equals("2")));
            for (int i = 0; i < 5; i++) {
                assertEquals("2", AppJar.version(Http.getClosing("127.0.0.1", g.port(), "/")));
            }
            Procs.kill("QUIT", fresh);
            Wait.until("the new master to exit", STEP, () -> !Procs.alive(fresh));
        }
    }

    @Tag("once") // master logic only: run on JDK 17, not again on 25 (it/pom.xml)
    @Test
    void revertingWithHupToTheOldAndQuitToTheNewRestoresEverything() throws Exception {
        Setup s = start();
        try (Gunicorn g = s.g(); Load load = Load.start(g, 4)) {
            long fresh = s.usr2();
            g.signal("WINCH");
            Wait.until("the old master's workers to drain", STEP, () -> g.workers().isEmpty());
            g.signal("HUP");
            g.awaitOutput("starting 2 workers again without reloading the configuration", STEP);
            Wait.until("the old master's workers to be back", STEP, () -> g.workers().size() == 2);
            g.awaitServingWorkers(2);
            s.stopNewMasterAndAwaitRevert("QUIT", fresh);
            s.assertNoFailures(load);
            assertTrue(g.process().isAlive());
        }
    }

    @Tag("once") // master logic only: run on JDK 17, not again on 25 (it/pom.xml)
    @Test
    void termToTheNewMasterEndsTheUpgradeAndTheOldOneServesOn() throws Exception {
        Setup s = start();
        try (Gunicorn g = s.g(); Load load = Load.start(g, 4)) {
            long fresh = s.usr2();
            g.signal("USR2");
            g.awaitOutput("USR2 signal ignored. Child exists.", STEP);
            Procs.kill("USR2", fresh);
            g.awaitOutput("USR2 signal ignored. Parent exists.", STEP);
            s.stopNewMasterAndAwaitRevert("TERM", fresh);
            s.assertNoFailures(load);
        }
    }

    @Test
    void aBrokenNewInstallationIsNoticedAndTheOldMasterServesOn() throws Exception {
        Path install = Installation.copy();
        Path dir = Scratch.dir("gunicorn-broken-upgrade-");
        Path pidfile = dir.resolve("app.pid");
        try (Gunicorn g = Gunicorn.startWith(install.resolve("bin/gunicorn"), java.util.Map.of(), "-w", "2",
                "-b", "127.0.0.1:0", "-p", pidfile.toString(), "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            g.awaitServingWorkers(2);
            try (Load load = Load.start(g, 4)) {
                Installation.breakMasterJar(install);
                g.signal("USR2");
                g.awaitOutput("New master \\(pid: \\d+\\) exited \\(exit code \\d+\\): the upgrade failed", STEP);
                Wait.until("PIDFILE to name the old master again", STEP,
                        () -> Gunicorn.read(pidfile).trim().equals(Long.toString(g.pid()))
                                && Files.notExists(dir.resolve("app.pid.oldbin")));
                load.awaitMore(100);
                load.close();
                assertEquals(List.of(), load.failures(), load.ok() + " succeeded");
            }
            assertEquals(2, g.awaitServingWorkers(2).size());
            assertNotEquals(0, g.pid());
        }
    }
}
