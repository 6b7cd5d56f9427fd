package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A user's session, kept by default where every worker reads it: the Spring Boot example's session
 * counter goes up by one on every request while the requests land on different workers, and keeps
 * counting on the new workers of a HUP, of a TTIN, and of the new master of a USR2 upgrade.
 */
class SessionTest {
    private static final Pattern COUNT = Pattern.compile("\\{\"count\":(\\d+),\"worker\":(\\d+),");

    /** One user: a session cookie, and the count it has reached. */
    private static final class User {
        private String cookie;
        private int count;
        private final Set<Long> workers = new HashSet<>();

        /** Asks for the counter {@code n} times on new connections; each answer must be the next count. */
        void count(Gunicorn g, int n) {
            for (int i = 0; i < n; i++) {
                Http.Reply r = cookie == null ? Http.request(g.port(), "/counter")
                        : Http.request(g.port(), "/counter", "Cookie: " + cookie);
                assertEquals(200, r.status(), r.toString());
                if (cookie == null) {
                    String set = r.header("Set-Cookie");
                    cookie = set.substring(0, set.indexOf(';'));
                }
                Matcher m = COUNT.matcher(r.body());
                assertTrue(m.find(), r.body());
                assertEquals(++count, Integer.parseInt(m.group(1)), "the session's count, from " + r.body());
                workers.add(Long.parseLong(m.group(2)));
            }
        }
    }

    @Test
    void aSessionIsSeenByEveryWorkerAndSurvivesHupTtinAndUsr2() throws Exception {
        try (Gunicorn g = Gunicorn.app(Apps.SPRING_BOOT, 2, "--log-level", "debug")) {
            List<Long> first = g.awaitServingWorkers(2, "/hello");
            User user = new User();
            user.count(g, 20);
            assertEquals(Set.copyOf(first), user.workers, "both workers answered the same session");
            Path sessions = sessionDirectory(g, g.pid());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions)),
                    "sessions are private to the workers' user");

            g.signal("HUP");
            g.awaitOutput("Generation 2 is serving; generation 1 retired", Gunicorn.BOOT);
            Wait.until("generation 1 to exit", Gunicorn.BOOT, () -> first.stream().noneMatch(Procs::alive));
            user.workers.clear();
            user.count(g, 10);
            assertTrue(user.workers.stream().noneMatch(first::contains), "new workers: " + user.workers);

            g.signal("TTIN");
            List<Long> three = g.awaitServingWorkers(3, "/hello");
            user.workers.clear();
            user.count(g, 15);
            assertEquals(Set.copyOf(three), user.workers, "the TTIN worker sees the session too");

            g.signal("USR2");
            long fresh = Long.parseLong(g.awaitOutput("started a new master \\(pid: (\\d+)\\)", Gunicorn.BOOT).group(1));
            // The new master starts with the configured -w 2: a count changed by TTIN is the old master's.
            g.awaitServingWorkersOf(fresh, 2, "/hello");
            g.signal("WINCH");
            Wait.until("the old master's workers to stop", Gunicorn.BOOT, () -> g.workers().isEmpty());
            user.workers.clear();
            user.count(g, 10);
            assertEquals(Set.copyOf(g.workersOf(fresh)), user.workers, "the new master's workers see the session");
            assertEquals(sessions, sessionDirectory(g, fresh), "the new master uses the same session directory");

            g.signal("QUIT");
            assertEquals(0, g.awaitExit(Gunicorn.BOOT), g.output());
            assertTrue(Files.isDirectory(sessions), "the old master leaves the sessions to the new one");
            user.count(g, 5);
            Procs.kill("QUIT", fresh);
            Wait.until("the new master to exit", Gunicorn.BOOT, () -> !Procs.alive(fresh));
            assertFalse(Files.exists(sessions), "the last master removes the sessions on a clean stop");
        }
    }

    /** The file:DIR store, from the workers' session-store setting in the master's worker-1.properties. */
    private static Path sessionDirectory(Gunicorn g, long master) {
        return Wait.forValue("the session directory of master " + master, Duration.ofSeconds(30), () -> {
            try (var dirs = Files.newDirectoryStream(g.tmpdir(),
                    "gunicorn-jvm-" + master + "-*")) {
                for (Path runtime : dirs) {
                    java.util.Properties settings = new java.util.Properties();
                    try (var in = Files.newInputStream(runtime.resolve("worker-1.properties"))) {
                        settings.load(in);
                    }
                    String store = settings.getProperty("session-store", "");
                    if (store.startsWith("file:")) {
                        return Path.of(store.substring("file:".length()));
                    }
                }
            } catch (java.io.IOException e) {
                return null;
            }
            return null;
        });
    }
}
