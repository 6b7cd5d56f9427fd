package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * gunictl against real masters, run as an operator runs it: the real bin/gunictl, in the master's
 * directory, checking what it prints, its exit codes, and that what it said happened did happen.
 */
@Tag("signals")
class GunictlTest {
    private static final Duration STEP = Duration.ofSeconds(60);

    private static Set<Long> pids(JsonNode workers) {
        List<Long> list = new ArrayList<>();
        workers.forEach(w -> list.add(w.get("pid").asLong()));
        return Set.copyOf(list);
    }

    @Test
    void statusFindsTheMasterWithoutFlagsAndShowsItsWorkersAsTextAndJson() throws Exception {
        try (Gunicorn g = Gunicorn.hello(2)) {
            List<Long> workers = g.awaitServingWorkers(2);
            GunictlCli.Result text = GunictlCli.run(g.dir(), "status");
            assertEquals(0, text.exit(), text.toString());
            assertTrue(text.out().startsWith("master " + g.pid() + " (gunicorn.pid): gunicorn-jvm "), text.toString());
            assertTrue(text.out().contains("app:         " + Gunicorn.HELLO), text.toString());
            assertTrue(text.out().contains("http://127.0.0.1:" + g.port()), text.toString());
            assertTrue(text.out().contains("config:      command line"), text.toString());
            assertTrue(text.out().contains("workers:     2 ready (generation 1); target 2"), text.toString());
            for (long w : workers) {
                assertTrue(text.out().matches("(?s).*\\n\\s+" + w + "\\s+1\\s+\\S+\\s+worker\\s+ready\\s+\\d+\\s+\\S+ ago.*"), text.toString());
            }
            assertEquals("", text.err());

            GunictlCli.Result json = GunictlCli.run(g.dir(), "status", "--json");
            assertEquals(0, json.exit(), json.toString());
            JsonNode r = json.json();
            assertEquals("status", r.get("command").asText());
            assertTrue(r.get("ok").asBoolean());
            JsonNode m = r.get("master");
            assertEquals(g.pid(), m.get("pid").asLong());
            assertEquals(Gunicorn.HELLO, m.get("app").asText());
            assertEquals("http://127.0.0.1:" + g.port(), m.get("binds").get(0).asText());
            assertEquals(1, m.get("generation").asInt());
            assertEquals("none", m.get("upgrade").asText());
            assertEquals(2, m.get("targetWorkers").asInt());
            assertEquals(Set.copyOf(workers), pids(m.get("workers")));
            m.get("workers").forEach(w -> assertEquals("ready", w.get("state").asText()));
            assertFalse(r.has("oldMaster"));
        }
    }

    @Test
    void reloadWaitsForTheNewGenerationAndReportsARejectedConfigWithTheMastersReason() throws Exception {
        Path file = Scratch.dir("gunictl-reload-").resolve("gunicorn.toml");
        Files.writeString(file, config(freePort(), 2));
        try (Gunicorn g = Gunicorn.start("-c", file.toString())) {
            List<Long> first = g.awaitServingWorkers(2);
            GunictlCli.Result ok = GunictlCli.run(g.dir(), "reload");
            assertEquals(0, ok.exit(), ok.toString());
            assertTrue(ok.out().contains("sent HUP to master " + g.pid()), ok.toString());
            assertTrue(ok.out().contains("reloaded: master " + g.pid() + " serves generation 2 with 2 of 2 workers ready;"
                    + " no older workers left"), ok.toString());
            // What it said is true at the moment it returned: only generation 2 runs, all ready.
            JsonNode m = GunictlCli.run(g.dir(), "status", "--json").json().get("master");
            assertEquals(2, m.get("generation").asInt());
            m.get("workers").forEach(w -> {
                assertEquals(2, w.get("generation").asInt());
                assertEquals("ready", w.get("state").asText());
            });
            assertTrue(first.stream().noneMatch(Procs::alive), "the first generation is gone");

            Files.writeString(file, "workers = = 3\n");
            GunictlCli.Result bad = GunictlCli.run(g.dir(), "reload", "--json");
            assertEquals(1, bad.exit(), bad.toString());
            JsonNode r = bad.json();
            assertFalse(r.get("ok").asBoolean());
            assertEquals(1, r.get("exitCode").asInt());
            assertFalse(r.get("reload").get("ok").asBoolean());
            String reason = r.get("reload").get("message").asText();
            assertTrue(reason.contains("gunicorn.toml"), reason);
            assertTrue(r.get("error").asText().contains("reload #2 failed; master " + g.pid()
                    + " keeps serving generation 2: " + reason), bad.toString());
            assertEquals(1, bad.err().lines().count(), "one line on stderr: " + bad);
            assertTrue(bad.err().contains(reason), bad.toString());
            assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok(), "serving on");
        }
    }

    @Test
    void scaleSetsAnExactNumberOrAChangeAndReturnsWhenExactlyThatManyAreReady() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            g.awaitServingWorkers(1);
            assertScaled(g, 3, "scale", "3");
            assertScaled(g, 4, "scale", "+1");
            assertScaled(g, 2, "scale", "-2");

            GunictlCli.Result zero = GunictlCli.run(g.dir(), "scale", "0");
            assertEquals(2, zero.exit(), zero.toString());
            assertTrue(zero.err().contains("a master runs at least 1"), zero.toString());
            GunictlCli.Result below = GunictlCli.run(g.dir(), "scale", "-2");
            assertEquals(2, below.exit(), below.toString());
            assertTrue(below.err().contains("cannot scale 2 workers by -2"), below.toString());
            GunictlCli.Result word = GunictlCli.run(g.dir(), "scale", "many");
            assertEquals(2, word.exit(), word.toString());
            assertEquals(2, g.workers().size(), "nothing changed");
        }
    }

    private static void assertScaled(Gunicorn g, int n, String... args) {
        GunictlCli.Result r = GunictlCli.run(g.dir(), args);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("master " + g.pid() + " runs " + n + " workers, all ready"), r.toString());
        // True when it returned: exactly n workers, all ready, none draining.
        JsonNode m = GunictlCli.run(g.dir(), "status", "--json").json().get("master");
        assertEquals(n, m.get("targetWorkers").asInt());
        assertEquals(n, m.get("workers").size(), m.toString());
        m.get("workers").forEach(w -> assertEquals("ready", w.get("state").asText()));
        assertEquals(n, g.workers().size());
    }

    @Test
    void stopWaitsUntilTheMasterHasExited() throws Exception {
        try (Gunicorn g = Gunicorn.hello(2)) {
            g.awaitServingWorkers(2);
            GunictlCli.Result r = GunictlCli.run(g.dir(), "stop");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("sent TERM to master " + g.pid()), r.toString());
            assertTrue(r.out().contains("master " + g.pid() + " has exited (quick shutdown, TERM); gunicorn.pid removed"),
                    r.toString());
            assertFalse(Procs.alive(g.pid()), "gone when gunictl returned");
            assertEquals(0, g.awaitExit(Duration.ofSeconds(10)));
        }
    }

    @Test
    void quitLetsARequestInFlightFinishAndWaitsUntilTheMasterHasExited() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            g.awaitServingWorkers(1);
            SlowRequest slow = SlowRequest.send(g, 3);
            GunictlCli.Result r = GunictlCli.run(g.dir(), "quit", "--json");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(g.pid(), r.json().get("master").asLong());
            assertFalse(Procs.alive(g.pid()), "gone when gunictl returned");
            assertEquals(200, slow.await(Duration.ofSeconds(10)).status(), "the request in flight finished");
            assertTrue(r.json().get("elapsedMillis").asLong() >= 1000, "it waited for the drain: " + r);
        }
    }

    @Test
    void reopenLogsSendsUsr1AndTheMasterReopens() throws Exception {
        Path dir = Scratch.dir("gunictl-usr1-");
        Path error = dir.resolve("error.log");
        try (Gunicorn g = Gunicorn.hello(1, "--error-logfile", error.toString())) {
            g.awaitServingWorkers(1);
            Files.move(error, dir.resolve("error.log.1"));
            GunictlCli.Result r = GunictlCli.run(g.dir(), "reopen-logs");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("sent USR1 to master " + g.pid()), r.toString());
            assertTrue(r.out().contains("master " + g.pid() + " got USR1 and answers"), r.toString());
            Wait.until("the master to reopen " + error, Duration.ofSeconds(30),
                    () -> Gunicorn.read(error).contains("Reopened log files"));
        }
    }

    @Test
    void winchIsRefusedForAForegroundMasterAndWaitsForTheWorkersOfADaemon() throws Exception {
        try (Gunicorn g = Gunicorn.hello(2)) {
            List<Long> workers = g.awaitServingWorkers(2);
            GunictlCli.Result r = GunictlCli.run(g.dir(), "winch");
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("runs in the foreground and ignores WINCH"), r.toString());
            assertEquals(1, r.err().lines().count(), r.toString());
            assertEquals(workers, g.workers(), "nothing changed");
        }
        Path dir = Scratch.dir("gunictl-daemon-");
        Path pidfile = dir.resolve("app.pid");
        try (Gunicorn launcher = Gunicorn.start("-D", "-w", "2", "-b", "127.0.0.1:0", "-p", pidfile.toString(),
                "--error-logfile", dir.resolve("error.log").toString(), "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            assertEquals(0, launcher.awaitExit(STEP), launcher.output());
            long daemon = Long.parseLong(Gunicorn.read(pidfile).trim());
            launcher.workersOf(daemon); // tracked for clean-up
            GunictlCli.Result r = GunictlCli.run(dir, "-p", "app.pid", "winch");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("master " + daemon + " has no workers and keeps its sockets"), r.toString());
            assertTrue(launcher.workersOf(daemon).isEmpty(), "no workers when gunictl returned");
            GunictlCli.Result back = GunictlCli.run(dir, "-p", "app.pid", "reload");
            assertEquals(0, back.exit(), back.toString());
            assertEquals(2, launcher.workersOf(daemon).size());
            assertTrue(Http.getClosing("127.0.0.1", launcher.port(), "/").ok());
            GunictlCli.Result quit = GunictlCli.run(dir, "--pid", "app.pid", "quit");
            assertEquals(0, quit.exit(), quit.toString());
            assertFalse(Procs.alive(daemon));
        }
    }

    @Test
    void killSendsTheSpecsSignalsToTheMasterOrOneOfItsWorkersAndRefusesAnythingElse() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            long worker = g.awaitServingWorkers(1).get(0);
            GunictlCli.Result ttin = GunictlCli.run(g.dir(), "kill", "SIGTTIN");
            assertEquals(0, ttin.exit(), ttin.toString());
            assertEquals("sent TTIN to master " + g.pid() + "\n", ttin.out());
            g.awaitOutput("Number of workers: 2 \\(TTIN\\)", STEP);
            g.awaitServingWorkers(2);

            GunictlCli.Result quit = GunictlCli.run(g.dir(), "kill", "3", "--worker", Long.toString(worker), "--json");
            assertEquals(0, quit.exit(), quit.toString());
            assertEquals("QUIT", quit.json().get("signal").asText());
            assertEquals(worker, quit.json().get("pid").asLong());
            Wait.until("worker " + worker + " to exit", STEP, () -> !Procs.alive(worker));
            assertTrue(Procs.alive(g.pid()));

            long stranger = ProcessHandle.current().pid();
            GunictlCli.Result foreign = GunictlCli.run(g.dir(), "kill", "TERM", "--worker", Long.toString(stranger));
            assertEquals(2, foreign.exit(), foreign.toString());
            assertTrue(foreign.err().contains("pid " + stranger + " is not a worker of master " + g.pid()), foreign.toString());
            assertTrue(Procs.alive(stranger));
            GunictlCli.Result masterAsWorker = GunictlCli.run(g.dir(), "kill", "TERM", "--worker", Long.toString(g.pid()));
            assertEquals(2, masterAsWorker.exit(), masterAsWorker.toString());

            long other = g.awaitServingWorkers(2).get(0);
            GunictlCli.Result hupToWorker = GunictlCli.run(g.dir(), "kill", "HUP", "--worker", Long.toString(other));
            assertEquals(2, hupToWorker.exit(), hupToWorker.toString());
            assertTrue(hupToWorker.err().contains("a worker acts only on"), hupToWorker.toString());
            for (String signal : List.of("KILL", "9", "CHLD", "STOP", "")) {
                GunictlCli.Result r = GunictlCli.run(g.dir(), "kill", signal);
                assertEquals(2, r.exit(), signal + ": " + r);
            }
            GunictlCli.Result old = GunictlCli.run(g.dir(), "kill", "QUIT", "--old");
            assertEquals(3, old.exit(), old.toString());
            assertTrue(old.err().contains("no old master"), old.toString());
            assertTrue(Procs.alive(g.pid()), "the master survived all that");
            assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok());
        }
    }

    @Test
    void aMissingOrStalePidfileIsOneLineAndExitCode3() throws Exception {
        Path empty = Scratch.dir("gunictl-none-");
        for (String command : List.of("status", "reload", "quit", "stop", "upgrade", "reopen-logs", "winch")) {
            GunictlCli.Result r = GunictlCli.run(empty, command);
            assertEquals(3, r.exit(), command + ": " + r);
            assertEquals("", r.out(), command + ": " + r);
            assertEquals(List.of("gunictl " + command + ": no master: pidfile gunicorn.pid does not exist"
                    + " (is gunicorn running with this pidfile? name it with -p)"), r.err().lines().toList());
        }
        GunictlCli.Result kill = GunictlCli.run(empty, "kill", "HUP");
        assertEquals(3, kill.exit(), kill.toString());

        long notGunicorn = ProcessHandle.current().pid();
        Files.writeString(empty.resolve("gunicorn.pid"), notGunicorn + "\n");
        GunictlCli.Result other = GunictlCli.run(empty, "status");
        assertEquals(3, other.exit(), other.toString());
        assertEquals(1, other.err().lines().count(), other.toString());
        assertTrue(other.err().contains("names pid " + notGunicorn + ", which is not a gunicorn master but '"), other.toString());
        assertTrue(other.err().contains("(stale pidfile)"), other.toString());

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(empty.resolve("gunicorn.pid"), gone.pid() + "\n");
        GunictlCli.Result dead = GunictlCli.run(empty, "kill", "QUIT", "--json");
        assertEquals(3, dead.exit(), dead.toString());
        assertTrue(dead.json().get("error").asText().contains("names pid " + gone.pid() + ", which is not running"
                + " (stale pidfile)"), dead.toString());
        assertEquals(1, dead.err().lines().count(), dead.toString());
    }

    @Test
    void usageErrorsExit2AndCompletionIsGenerated() throws Exception {
        Path dir = Scratch.dir("gunictl-usage-");
        GunictlCli.Result unknown = GunictlCli.run(dir, "frobnicate");
        assertEquals(2, unknown.exit(), unknown.toString());
        GunictlCli.Result option = GunictlCli.run(dir, "status", "--no-such-option");
        assertEquals(2, option.exit(), option.toString());
        GunictlCli.Result timeout = GunictlCli.run(dir, "status", "--timeout", "0");
        assertEquals(2, timeout.exit(), timeout.toString());
        GunictlCli.Result help = GunictlCli.run(dir, "reload", "--help");
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.out().contains("--timeout=SECONDS"), help.toString());
        assertTrue(help.out().contains("Default: 60."), help.toString());

        GunictlCli.Result completion = GunictlCli.run(dir, "generate-completion");
        assertEquals(0, completion.exit(), completion.toString());
        assertTrue(completion.out().contains("complete -F _complete_gunictl"), completion.toString());
        for (String command : List.of("status", "reload", "upgrade", "scale", "stop", "quit", "reopen-logs", "winch", "kill")) {
            assertTrue(completion.out().contains(command), command);
        }
    }

    static String config(int port, int workers) {
        return "app = \"" + Gunicorn.HELLO + "\"\n"
                + "classpath = [\"" + Gunicorn.HELLO_JAR + "\"]\n"
                + "bind = [\"127.0.0.1:" + port + "\"]\n"
                + "workers = " + workers + "\n";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
