package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code gunictl upgrade} under continuous client load: the whole spec procedure ends with only the new
 * master and no failed request; a broken new installation, or a step that does not finish in time, is
 * rolled back the spec's way and the old master serves on with PIDFILE naming it.
 */
@Tag("signals")
class GunictlUpgradeTest {
    private static final Duration STEP = Duration.ofSeconds(60);

    private static long pidIn(Path file) {
        String text = Gunicorn.read(file).trim();
        return text.isEmpty() ? -1 : Long.parseLong(text);
    }

    @Test
    void upgradeUnderLoadEndsWithOnlyTheNewMasterAndLosesNoRequest() throws Exception {
        Path dir = Scratch.dir("gunictl-upgrade-");
        Path jar = dir.resolve("app.jar");
        AppJar.build(jar, "1");
        Path pidfile = dir.resolve("app.pid");
        long fresh = -1;
        try (Gunicorn g = Gunicorn.start("-w", "2", "--threads", "4", "-b", "127.0.0.1:0", "-p", pidfile.toString(),
                "--preload", "-cp", jar.toString(), AppJar.SERVLET)) {
            List<Long> oldWorkers = g.awaitServingWorkers(2);
            try (Load load = Load.start(g, 4)) {
                AppJar.build(jar, "2"); // the new release; a preloaded app is loaded anew only by USR2
                GunictlCli.Result r = GunictlCli.run(dir, Duration.ofSeconds(300), "-p", "app.pid", "upgrade", "--json");
                fresh = pidIn(pidfile);
                assertEquals(0, r.exit(), r + "\n" + g.output());
                JsonNode json = r.json();
                assertEquals(g.pid(), json.get("oldMaster").asLong());
                assertEquals(fresh, json.get("newMaster").asLong());
                List<String> steps = new ArrayList<>();
                json.get("steps").forEach(s -> steps.add(s.get("text").asText()));
                assertTrue(steps.get(0).startsWith("sent USR2 to master " + g.pid()), steps.toString());
                assertTrue(steps.stream().anyMatch(s -> s.startsWith("sent WINCH to old master " + g.pid())), steps.toString());
                assertTrue(steps.stream().anyMatch(s -> s.equals("old master " + g.pid() + " has exited")), steps.toString());

                // What gunictl said is true now: only the new master, PIDFILE names it, no .oldbin.
                assertEquals(0, g.awaitExit(Duration.ofSeconds(30)), "the old master has exited");
                assertTrue(oldWorkers.stream().noneMatch(Procs::alive));
                assertNotEquals(g.pid(), fresh);
                assertTrue(Procs.cmdline(fresh).startsWith("gunicorn: master"));
                assertTrue(Files.notExists(dir.resolve("app.pid.oldbin")));
                load.awaitMore(100);
                load.close();
                assertEquals(List.of(), load.failures(), load.ok() + " succeeded");
                for (int i = 0; i < 5; i++) {
                    assertEquals("2", AppJar.version(Http.getClosing("127.0.0.1", g.port(), "/")), "the new code serves");
                }
                JsonNode status = GunictlCli.run(dir, "-p", "app.pid", "status", "--json").json();
                assertEquals(fresh, status.get("master").get("pid").asLong());
                assertEquals("none", status.get("master").get("upgrade").asText());
                assertFalse(status.has("oldMaster"));

                GunictlCli.Result quit = GunictlCli.run(dir, "-p", "app.pid", "quit");
                assertEquals(0, quit.exit(), quit.toString());
                assertFalse(Procs.alive(fresh));
            }
        } finally {
            GunictlCli.killIfAlive(fresh);
        }
    }

    @Test
    void aBrokenNewInstallationIsRolledBackAndTheOldMasterServesOn() throws Exception {
        Path install = Installation.copy();
        Path dir = Scratch.dir("gunictl-broken-upgrade-");
        Path pidfile = dir.resolve("app.pid");
        try (Gunicorn g = Gunicorn.startWith(install.resolve("bin/gunicorn"), Map.of(), "-w", "2",
                "-b", "127.0.0.1:0", "-p", pidfile.toString(), "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            List<Long> workers = g.awaitServingWorkers(2);
            try (Load load = Load.start(g, 4)) {
                Installation.breakMasterJar(install);
                GunictlCli.Result r = GunictlCli.run(dir, Duration.ofSeconds(300), "--pid", pidfile.toString(), "upgrade");
                assertEquals(1, r.exit(), r + "\n" + g.output());
                List<String> err = r.err().lines().toList();
                assertEquals(1, err.size(), r.toString());
                assertTrue(err.get(0).startsWith("gunictl upgrade: upgrade failed at step 'new-master'"), r.toString());
                assertTrue(err.get(0).contains("; rolled back: old master " + g.pid() + " serves with 2 workers and "
                        + pidfile + " names it again"), r.toString());
                assertTrue(r.out().contains("sent USR2 to master " + g.pid()), r.toString());

                assertEquals(g.pid(), pidIn(pidfile), "PIDFILE names the old master again");
                assertTrue(Files.notExists(dir.resolve("app.pid.oldbin")));
                assertTrue(g.process().isAlive());
                assertEquals(workers, g.workers(), "the old workers served on untouched");
                load.awaitMore(100);
                load.close();
                assertEquals(List.of(), load.failures(), load.ok() + " succeeded");
            }
            assertEquals(0, GunictlCli.run(dir, "-p", pidfile.toString(), "status").exit());
        }
    }

    /**
     * A step that does not finish in time (the old master's drain is held up by a long request) is rolled
     * back by the spec's path: HUP to the old master, its workers back, QUIT to the new one.
     */
    @Test
    void aStepThatTimesOutIsRolledBackWithHupToTheOldMasterAndQuitToTheNew() throws Exception {
        Path dir = Scratch.dir("gunictl-timeout-upgrade-");
        Path pidfile = dir.resolve("app.pid");
        long fresh = -1;
        try (Gunicorn g = Gunicorn.start("-w", "2", "--threads", "4", "-b", "127.0.0.1:0", "-p", pidfile.toString(),
                "--graceful-timeout", "300", "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            g.awaitServingWorkers(2);
            try (Load load = Load.start(g, 4)) {
                SlowRequest slow = SlowRequest.send(g, 120); // keeps one old worker draining well past the timeout
                GunictlCli.Result r = GunictlCli.run(dir, Duration.ofSeconds(600), "-p", "app.pid", "upgrade",
                        "--timeout", "20", "--json");
                assertEquals(1, r.exit(), r + "\n" + g.output());
                JsonNode json = r.json();
                fresh = json.get("newMaster").asLong();
                assertEquals("winch", json.get("failedStep").asText(), r.toString());
                assertTrue(json.get("rolledBack").asBoolean(), r.toString());
                String error = json.get("error").asText();
                assertTrue(error.startsWith("upgrade failed at step 'winch' (WINCH: the old master's workers stop):"
                        + " timed out after 20 s waiting for the old master's workers to stop"), error);
                List<String> steps = new ArrayList<>();
                json.get("steps").forEach(s -> steps.add(s.get("text").asText()));
                assertTrue(steps.contains("sent HUP to old master " + g.pid() + ": it starts its workers again without"
                        + " reloading its configuration"), steps.toString());
                assertTrue(steps.stream().anyMatch(s -> s.startsWith("sent QUIT to new master " + json.get("newMaster"))),
                        steps.toString());

                assertFalse(Procs.alive(fresh), "the new master is gone");
                assertEquals(g.pid(), pidIn(pidfile), "PIDFILE names the old master again");
                assertTrue(Files.notExists(dir.resolve("app.pid.oldbin")));
                JsonNode status = GunictlCli.run(dir, "-p", "app.pid", "status", "--json").json().get("master");
                assertEquals("none", status.get("upgrade").asText());
                assertEquals(2, status.get("targetWorkers").asInt());
                load.awaitMore(100);
                load.close();
                assertEquals(List.of(), load.failures(), load.ok() + " succeeded");
                assertTrue(Procs.alive(slow.worker()), "the long request is still being served");
            }
        } finally {
            GunictlCli.killIfAlive(fresh);
        }
    }

    /** During an upgrade done by hand, status shows both masters and kill --old reaches the old one. */
    @Test
    void statusShowsBothMastersDuringAnUpgradeAndKillOldFinishesIt() throws Exception {
        Path dir = Scratch.dir("gunictl-manual-upgrade-");
        Path pidfile = dir.resolve("gunicorn.pid");
        long fresh = -1;
        try (Gunicorn g = Gunicorn.start("-w", "1", "-b", "127.0.0.1:0", "-p", pidfile.toString(),
                "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            g.awaitServingWorkers(1);
            GunictlCli.Result usr2 = GunictlCli.run(dir, "kill", "USR2");
            assertEquals(0, usr2.exit(), usr2.toString());
            fresh = Long.parseLong(g.awaitOutput("started a new master \\(pid: (\\d+)\\)", STEP).group(1));
            long newMaster = fresh;
            Wait.until("the new master to serve", STEP, () -> pidIn(pidfile) == newMaster && g.workersOf(newMaster).size() == 1);

            JsonNode both = Wait.forValue("both masters in status", STEP, () -> {
                GunictlCli.Result r = GunictlCli.run(dir, "status", "--json");
                JsonNode j = r.exit() == 0 ? r.json() : null;
                return j != null && j.has("oldMaster") && j.get("master").get("workers").size() == 1
                        && "ready".equals(j.get("master").get("workers").get(0).get("state").asText()) ? j : null;
            });
            assertEquals(newMaster, both.get("master").get("pid").asLong());
            assertEquals("old-master-running", both.get("master").get("upgrade").asText());
            assertEquals(g.pid(), both.get("oldMaster").get("pid").asLong());
            assertEquals("new-master-running", both.get("oldMaster").get("upgrade").asText());
            assertEquals(newMaster, both.get("oldMaster").get("otherMaster").asLong());
            GunictlCli.Result text = GunictlCli.run(dir, "status");
            assertTrue(text.out().startsWith("new master " + newMaster + " (gunicorn.pid)"), text.toString());
            assertTrue(text.out().contains("\n\nold master " + g.pid() + " (gunicorn.pid.oldbin)"), text.toString());

            long oldWorker = g.workers().get(0);
            GunictlCli.Result notOurs = GunictlCli.run(dir, "kill", "QUIT", "--worker", Long.toString(oldWorker));
            assertEquals(2, notOurs.exit(), notOurs.toString());
            assertTrue(notOurs.err().contains("it is a worker of the old master " + g.pid() + " (add --old)"), notOurs.toString());

            GunictlCli.Result winch = GunictlCli.run(dir, "winch", "--old");
            assertEquals(0, winch.exit(), winch.toString());
            assertTrue(g.workers().isEmpty());
            GunictlCli.Result quit = GunictlCli.run(dir, "kill", "QUIT", "--old");
            assertEquals(0, quit.exit(), quit.toString());
            assertEquals("sent QUIT to old master " + g.pid() + "\n", quit.out());
            assertEquals(0, g.awaitExit(STEP));
            Wait.until("PIDFILE.oldbin to be gone", STEP, () -> Files.notExists(dir.resolve("gunicorn.pid.oldbin")));
            assertEquals(newMaster, pidIn(pidfile));
            GunictlCli.Result stop = GunictlCli.run(dir, "stop");
            assertEquals(0, stop.exit(), stop.toString());
            assertFalse(Procs.alive(newMaster));
        } finally {
            GunictlCli.killIfAlive(fresh);
        }
    }
}
