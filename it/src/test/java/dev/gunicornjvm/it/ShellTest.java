package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * gunictl's interactive shell, typed into through a real pseudo-terminal (script(1)) against a real
 * master: the prompt, commands, completion, Ctrl-C, history and Ctrl-D.
 */
@Tag("signals") // also on JDK 25, where JLine reaches the terminal another way (FFM instead of JNI)
class ShellTest {
    /** A JVM start plus JLine's terminal set-up, on a busy machine. */
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration ANSWER = Duration.ofSeconds(15);

    @BeforeAll
    static void needsScript() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")) || Files.isExecutable(Path.of("/bin/script")),
                "script(1) from util-linux is needed to give the shell a pseudo-terminal");
    }

    /** A history file of the test's own, and no class-data archive: nothing is written in the user's home. */
    private static Map<String, String> env(Path history) {
        return Map.of("GUNICTL_HISTORY", history.toString(), "GUNICTL_CDS", "0");
    }

    @Test
    void theShellOperatesARealMaster() throws Exception {
        try (Gunicorn g = Gunicorn.hello(2)) {
            List<Long> workers = g.awaitServingWorkers(2);
            Path pidFile = g.dir().resolve("gunicorn.pid");
            Path history = g.dir().resolve("history");
            try (ShellPty shell = ShellPty.start(g.dir(), env(history), "-p", pidFile.toString())) {
                // No command: the shell, with the master's pid and worker count in the prompt.
                String prompt = "gunicorn[" + g.pid() + "] 2 workers> ";
                shell.awaitText(prompt, START);

                // A command, with the same output as on the command line: the workers' pids.
                shell.type("status\r");
                for (long w : workers) {
                    shell.await("(?m)^\\s*" + w + "\\s+1\\s", ANSWER);
                }
                shell.awaitText(prompt, ANSWER);

                // Tab completes a command name; the completed line runs.
                shell.type("sta\t");
                shell.awaitText("status ", ANSWER);
                shell.type("\r");
                shell.await("(?m)^\\s*" + workers.get(0) + "\\s+1\\s", ANSWER);
                shell.awaitText(prompt, ANSWER);

                // After --worker, Tab offers the master's worker pids (fetched from its status).
                shell.type("kill --worker \t");
                Matcher offered = shell.await("\\b(" + workers.get(0) + "|" + workers.get(1) + ")\\b", ANSWER);
                assertTrue(workers.contains(Long.parseLong(offered.group(1))), offered.group());

                // Ctrl-C abandons that half-typed line, and the shell stays.
                shell.type("\u0003");
                shell.awaitText(prompt, ANSWER);
                assertEquals(workers, g.workers(), "the abandoned kill did not run");
                shell.type("status\r");
                shell.await("(?m)^\\s*" + workers.get(1) + "\\s+1\\s", ANSWER);
                shell.awaitText(prompt, ANSWER);

                // scale waits until 3 workers are ready, so the very next prompt shows them.
                shell.type("scale 3\r");
                shell.awaitText("gunicorn[" + g.pid() + "] 3 workers> ", Gunicorn.BOOT.multipliedBy(2));
                assertEquals(3, g.workers().size());

                // watch redraws the status every second until a key is pressed.
                shell.type("watch\r");
                shell.await("Every 1s: status\\s+(\\d\\d:\\d\\d:\\d\\d)", ANSWER);
                shell.await("Every 1s: status\\s+(\\d\\d:\\d\\d:\\d\\d)", ANSWER);
                shell.type("q");
                shell.awaitText("gunicorn[" + g.pid() + "] 3 workers> ", ANSWER);

                // Ctrl-D on an empty line leaves, with exit code 0; the master is untouched.
                shell.type("\u0004");
                assertEquals(0, shell.awaitExit(ANSWER), shell.text());
                assertTrue(g.process().isAlive(), "leaving the shell did not stop the server");
            }
            List<String> lines = Files.readAllLines(history);
            List<String> commands = lines.stream().map(l -> l.substring(l.indexOf(':') + 1)).toList();
            assertTrue(commands.containsAll(List.of("status", "scale 3", "watch")), "history: " + lines);
            assertFalse(commands.stream().anyMatch(c -> c.startsWith("kill")), "the abandoned line is not in the history: " + lines);
        }
    }

    @Test
    void withoutAMasterThePromptSaysSoAndCommandsGiveTheirError() throws Exception {
        Path dir = Scratch.dir("gunictl-shell-");
        Path pidFile = dir.resolve("nothing-here.pid");
        Path history = dir.resolve("history");
        try (ShellPty shell = ShellPty.start(dir, env(history), "shell", "-p", pidFile.toString())) {
            shell.awaitText("gunicorn[no master]> ", START);
            shell.type("status\r");
            shell.awaitText("no master: pidfile " + pidFile, ANSWER);
            shell.awaitText("gunicorn[no master]> ", ANSWER);

            // quit is the server's graceful stop here too, not a way out of the shell.
            shell.type("quit\r");
            shell.awaitText("no master: pidfile " + pidFile, ANSWER);
            shell.awaitText("gunicorn[no master]> ", ANSWER);
            assertTrue(shell.alive());

            shell.type("exit\r");
            assertEquals(0, shell.awaitExit(ANSWER), shell.text());
        }
        assertTrue(Files.readString(history).contains("quit"), "history written");
    }

    /**
     * On the first run of an installation (no class-data archive in the cache yet) bin/gunictl does the
     * most around the JVM. The shell must behave the same there: Ctrl-C abandons the line, and Ctrl-D leaves
     * with 0, not with the 130 of a launcher that took the Ctrl-C for itself.
     */
    @Test
    void onAFirstRunCtrlCThenCtrlDStillLeavesWithExitCode0() throws Exception {
        Path dir = Scratch.dir("gunictl-shell-");
        Map<String, String> env = Map.of("GUNICTL_HISTORY", dir.resolve("history").toString(),
                "XDG_CACHE_HOME", dir.resolve("cache").toString()); // empty: a first run
        try (ShellPty shell = ShellPty.start(dir, env, "-p", dir.resolve("none.pid").toString())) {
            shell.awaitText("gunicorn[no master]> ", START);
            shell.type("sta\u0003");
            shell.awaitText("gunicorn[no master]> ", ANSWER);
            assertTrue(shell.alive(), "Ctrl-C left the shell running");
            shell.type("\u0004");
            assertEquals(0, shell.awaitExit(ANSWER), "exit code after a Ctrl-C, then Ctrl-D\n" + shell.text());
        }
    }
}
