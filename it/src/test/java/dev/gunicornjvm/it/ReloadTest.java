package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** HUP: a new generation of workers with the configuration and code on disk now, losing nothing. */
@Tag("signals")
class ReloadTest {
    @Test
    void hupUnderLoadReplacesEveryWorkerWithTheNewCodeAndNoRequestFails() throws Exception {
        Path dir = Scratch.dir("gunicorn-hup-");
        Path jar = dir.resolve("app.jar");
        AppJar.build(jar, "1");
        try (Gunicorn g = Gunicorn.start("-w", "2", "--threads", "4", "--log-level", "debug", "-b", "127.0.0.1:0",
                "-cp", jar.toString(), AppJar.SERVLET)) {
            List<Long> old = g.awaitServingWorkers(2);
            try (Load load = Load.start(g, 4)) {
                AppJar.build(jar, "2");
                g.signal("HUP");
                g.awaitOutput("\\[INFO\\] Handling signal: hup", Duration.ofSeconds(30));
                g.awaitOutput("\\[INFO\\] Hang up: Master", Duration.ofSeconds(30));
                g.awaitOutput("Generation 2 is serving; generation 1 retired", Duration.ofSeconds(30));
                Wait.until("the old workers to exit", Duration.ofSeconds(30), () -> old.stream().noneMatch(Procs::alive));
                load.awaitMore(200);
                load.close();
                assertEquals(List.of(), load.failures(), "no request failed (" + load.ok() + " succeeded)");
            }
            List<Long> fresh = g.awaitServingWorkers(2);
            assertTrue(fresh.stream().noneMatch(old::contains), "every worker replaced: " + old + " -> " + fresh);
            for (int i = 0; i < 10; i++) {
                assertEquals("2", AppJar.version(Http.getClosing("127.0.0.1", g.port(), "/")), "new code served");
            }
            assertNewWorkersAcceptedBeforeOldOnesLeft(g.output(), old);
        }
    }

    /** Capacity never dips: both new workers said they accept before the first old one was asked to stop. */
    private static void assertNewWorkersAcceptedBeforeOldOnesLeft(String log, List<Long> old) {
        Matcher accepting = Pattern.compile("Worker \\(pid:\\d+\\) of generation 2 is accepting").matcher(log);
        int second = -1;
        for (int i = 0; i < 2; i++) {
            assertTrue(accepting.find(), "two generation-2 workers accepting:\n" + log);
            second = accepting.end();
        }
        for (long pid : old) {
            int exiting = log.indexOf("Worker exiting (pid: " + pid + ")");
            assertTrue(exiting > second, "old worker " + pid + " left only after the new ones accepted:\n" + log);
        }
    }

    @Test
    void aNewGenerationThatCannotBootIsAbandonedAndTheOldOneKeepsServing() throws Exception {
        Path dir = Scratch.dir("gunicorn-hup-broken-");
        Path jar = dir.resolve("app.jar");
        AppJar.build(jar, "1");
        try (Gunicorn g = Gunicorn.start("-w", "2", "-b", "127.0.0.1:0", "-cp", jar.toString(), AppJar.SERVLET)) {
            List<Long> old = g.awaitServingWorkers(2);
            try (Load load = Load.start(g, 2)) {
                AppJar.build(jar, "2", true); // a deployment whose init() fails
                g.signal("HUP");
                g.awaitOutput("Reload failed, generation 1 keeps serving: generation 2 cannot boot: "
                        + ".*version 2 needs DATABASE_URL", Duration.ofSeconds(30));
                load.awaitMore(50);
                Files.writeString(jar, "not a jar any more"); // a botched copy: refused before any worker starts
                g.signal("HUP");
                g.awaitOutput("Reload failed, keeping the running configuration: class app.VersionServlet not found",
                        Duration.ofSeconds(30));
                load.awaitMore(50);
                load.close();
                assertEquals(List.of(), load.failures());
            }
            assertEquals(old, g.awaitServingWorkers(2), "the old workers still serve");
            assertTrue(g.output().lines().noneMatch(l -> l.contains("Shutting down")), g.output());
        }
    }

    @Test
    void ttinThreeTimesThenTtouTwiceThenTtouBelowOne() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            g.awaitServingWorkers(1);
            for (int n = 2; n <= 4; n++) {
                g.signal("TTIN");
                g.awaitOutput("Number of workers: " + n + " \\(TTIN\\)", Duration.ofSeconds(30));
            }
            List<Long> four = g.awaitServingWorkers(4);
            for (int n = 3; n >= 2; n--) {
                g.signal("TTOU");
                g.awaitOutput("Number of workers: " + n + " \\(TTOU\\)", Duration.ofSeconds(30));
            }
            List<Long> two = g.awaitServingWorkers(2);
            assertEquals(four.subList(2, 4), two, "TTOU retires the oldest workers");
            g.signal("TTOU");
            g.awaitOutput("Number of workers: 1 \\(TTOU\\)", Duration.ofSeconds(30));
            List<Long> one = g.awaitServingWorkers(1);
            g.signal("TTOU");
            g.awaitOutput("Number of workers stays at 1: TTOU never goes below one worker", Duration.ofSeconds(30));
            assertEquals(one, g.awaitServingWorkers(1));
        }
    }

    @Test
    void aCountChangedByTtinSurvivesAHup() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            g.awaitServingWorkers(1);
            g.signal("TTIN");
            g.awaitServingWorkers(2);
            g.signal("HUP");
            g.awaitOutput("Generation 2 is serving", Duration.ofSeconds(30));
            g.awaitServingWorkers(2);
        }
    }

    @Test
    void aBurstOfTtinMayMergeButEndsConsistent() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1, "--log-level", "debug")) {
            g.awaitServingWorkers(1);
            for (int i = 0; i < 3; i++) {
                g.signal("TTIN");
            }
            // sigtimedwait takes the lowest pending signal first, so once WINCH (28) is handled, every
            // TTIN (21) sent before it has been handled too.
            g.signal("WINCH"); // ignored in the foreground, and logged at debug level only
            g.awaitOutput("\\[DEBUG\\] Handling signal: winch", Duration.ofSeconds(30));
            int logged = lastCount(g.output());
            assertTrue(logged >= 2 && logged <= 4, "between one and three TTIN were seen: " + logged);
            assertEquals(logged, g.awaitServingWorkers(logged).size(), "the workers match the last logged count");
        }
    }

    private static int lastCount(String log) {
        Matcher m = Pattern.compile("Number of workers: (\\d+) \\(TTIN\\)").matcher(log);
        int n = -1;
        while (m.find()) {
            n = Integer.parseInt(m.group(1));
        }
        return n;
    }
}
