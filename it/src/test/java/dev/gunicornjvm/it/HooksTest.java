package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Server hooks on a real master: a --hooks class (fixtures.RecordingHooks, which writes one line per
 * event to $HOOKS_FILE, and throws or hangs in some on purpose) and shell hooks, through a start, TTIN,
 * a killed worker, a timed-out one, a TERM to a worker, a HUP and a QUIT.
 */
class HooksTest {
    private static final String SHELL = "echo \"$GUNICORN_EVENT ${GUNICORN_WORKER_PID:-} ${GUNICORN_WORKERS}\" >> ";

    @Test
    void everyEventFiresInOrderAndMisbehavingHooksLeaveTheServerServing() throws Exception {
        Path dir = Scratch.dir("hooks-");
        Path java = dir.resolve("java.log");
        Path shell = dir.resolve("shell.log");
        List<String> args = new ArrayList<>(List.of("-w", "1", "-t", "5", "-b", "127.0.0.1:0", "--hook-timeout", "1",
                "--hooks", "fixtures.RecordingHooks", "-cp", Gunicorn.FIXTURES.toString()));
        for (String event : List.of("on-starting", "when-ready", "on-reload", "pre-fork", "post-worker-init",
                "worker-abort", "worker-exit", "child-exit", "nworkers-changed", "on-exit")) {
            args.addAll(List.of("--" + event, SHELL + shell));
        }
        args.add("fixtures.StuckServlet");
        try (Gunicorn g = Gunicorn.start(Map.of("HOOKS_FILE", java.toString()), args.toArray(new String[0]))) {
            try {
                run(g, java, shell);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nhooks:\n" + String.join("\n", lines(java)) + "\nshell:\n"
                        + String.join("\n", lines(shell)) + "\noutput:\n" + g.output(), e);
            }
        }
    }

    private static void run(Gunicorn g, Path java, Path shell) throws Exception {
        long master = g.pid();
        long killed = g.awaitServingWorkers(1).get(0);
        Wait.until("when_ready", Gunicorn.BOOT, () -> lines(java).contains("when_ready " + master + " 1"));

        // pre_request throwing answers 500; the next request is served.
        assertEquals(500, Http.request(g.port(), "/", "X-Hook-Throw: 1").status());
        assertEquals(200, Http.request(g.port(), "/").status());

        // TTIN: nworkers_changed hangs; the master goes on after --hook-timeout and spawns.
        g.signal("TTIN");
        long silent = g.awaitServingWorkers(2).stream().filter(p -> p != killed).findFirst().orElseThrow();

        // At once, to save time: one worker killed (worker_exit, then child_exit, as soon as it is reaped),
        // and one silent past -t 5 (worker_abort, seconds later; then it is killed). Meanwhile the killed
        // one's replacement gets TERM as soon as it is ready: worker_int, in that worker.
        Procs.kill("STOP", silent);
        Procs.kill("KILL", killed);
        long termed = Wait.forValue("the killed worker's replacement ready", Gunicorn.BOOT, () -> lines(java).stream()
                .filter(l -> l.startsWith("post_worker_init ")).map(l -> Long.parseLong(l.split(" ")[1]))
                .filter(p -> p != killed && p != silent).findFirst().orElse(null));
        Procs.kill("TERM", termed);
        Wait.until("child_exit of " + termed + " and " + silent, Duration.ofSeconds(30),
                () -> lines(java).containsAll(List.of("child_exit " + master + " " + termed,
                        "child_exit " + master + " " + silent)));

        // HUP: on_reload throws; the new generation starts all the same, and the old one serves on.
        g.signal("HUP");
        Wait.until("pre_fork of generation 2", Duration.ofSeconds(20),
                () -> lines(java).contains("pre_fork " + master + " 2"));
        assertEquals(200, Http.request(g.port(), "/").status());

        g.signal("QUIT");
        assertEquals(0, g.awaitExit(Duration.ofSeconds(30)));
        String output = g.output();
        List<String> events = lines(java);

        // The master's own events, in the order it met them (each after the one before it); the timed-out
        // worker and the TERMed one end in either order.
        String start = "on_starting " + master + " " + master + " 1";
        List<String> common = List.of(start, "pre_fork " + master + " 1", "when_ready " + master + " 1",
                "nworkers_changed " + master + " 2 1", "worker_exit " + master + " " + killed + " -1 9",
                "child_exit " + master + " " + killed);
        List<String> end = List.of("on_reload " + master + " 2", "pre_fork " + master + " 2", "on_exit " + master);
        assertInOrder(events, concat(common, List.of("worker_abort " + master + " " + silent,
                "child_exit " + master + " " + silent), end));
        assertInOrder(events, concat(common, List.of("worker_int " + termed, "child_exit " + master + " " + termed), end));
        assertEquals(start, events.get(0));
        assertEquals("on_exit " + master, events.get(events.size() - 1));

        // Each worker's own events, in order.
        for (long w : List.of(killed, silent, termed)) {
            List<String> own = events.stream().filter(l -> l.split(" ")[1].equals(Long.toString(w)))
                    .map(l -> l.split(" ")[0]).distinct().toList();
            assertEquals(List.of("post_fork", "post_worker_init"), own.subList(0, 2), "worker " + w + ": " + own);
            assertTrue(events.indexOf("worker_exit " + master + " " + w + " " + exitOf(events, master, w))
                    < events.indexOf("child_exit " + master + " " + w), "worker_exit before child_exit");
        }
        assertTrue(events.stream().anyMatch(l -> l.startsWith("pre_request ") && l.endsWith(" GET /")));
        assertTrue(events.stream().anyMatch(l -> l.startsWith("post_request ") && l.endsWith(" / 500")));
        assertTrue(events.stream().anyMatch(l -> l.startsWith("post_request ") && l.endsWith(" / 200")));

        // The misbehaving hooks were logged, one line each, and the server went on.
        assertTrue(output.contains("Hook on_reload failed: java.lang.IllegalStateException: on_reload throws on purpose"),
                output);
        assertTrue(output.contains("Hook nworkers_changed did not return within 1000 ms"), output);
        assertTrue(output.contains("Hook pre_request failed (answered 500)"), output);

        // The shell hooks ran with the event in their environment.
        List<String> ran = lines(shell);
        for (String expected : List.of("on_starting  1", "when_ready  1", "pre_fork 0 1", "nworkers_changed  2",
                "worker_exit " + killed + " 2", "child_exit " + killed + " 2", "worker_abort " + silent + " 2",
                "post_worker_init " + killed + " 1", "on_reload  2", "on_exit  2")) {
            assertTrue(ran.contains(expected), expected + " in " + ran);
        }
    }

    @Test
    void aHooksClassThatCannotBeUsedStopsTheStartWithOneLine() throws Exception {
        try (Gunicorn g = Gunicorn.start("--hooks", "fixtures.NotAServlet", "-b", "127.0.0.1:0",
                "-cp", Gunicorn.FIXTURES.toString(), "fixtures.StuckServlet")) {
            assertEquals(2, g.awaitExit(Duration.ofSeconds(30)));
            assertTrue(g.output().contains("Error: --hooks class fixtures.NotAServlet does not implement"
                    + " dev.gunicornjvm.hooks.ServerHooks"), g.output());
        }
    }

    private static void assertInOrder(List<String> events, List<String> expected) {
        int last = -1;
        for (String event : expected) {
            int at = events.indexOf(event);
            assertTrue(at > last, event + " after " + (last < 0 ? "nothing" : events.get(last)));
            last = at;
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private static String exitOf(List<String> events, long master, long worker) {
        String prefix = "worker_exit " + master + " " + worker + " ";
        return events.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> l.substring(prefix.length())).orElse("?");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
