package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The master survives faults that a long-running server meets sooner or later, and serving goes on: a
 * machine out of file descriptors, a worker that writes garbage on its status pipe, a tmp cleaner that
 * removes the master's runtime directory, a reload that fails after it opened new listeners, and a
 * parent that started the master with SIGCHLD ignored. Real processes, real signals, real rlimits.
 *
 * <p>Every master runs with its java.io.tmpdir in this test's own directory, so that its runtime and
 * session directories are found there, and removed with it whatever happens.
 */
class MasterSurvivalTest {
    /** The first fd the master keeps its own copies at (ListenerFactory.HIGH_FD). */
    private static final int HIGH_FD = 1000;
    /** SIGCHLD's bit in /proc/PID/status masks. */
    private static final long SIGCHLD_BIT = 1L << (17 - 1);

    private Path tmp;
    private final List<Path> trash = new ArrayList<>();
    private final List<Gunicorn> started = new ArrayList<>();

    @BeforeEach
    void makeTmp() throws IOException {
        tmp = Scratch.dir("gunicorn-survival-");
        trash.add(tmp);
    }

    @AfterEach
    void removeTmp() {
        for (Gunicorn g : started) { // kept in the test's report, since its directory goes
            System.out.println("---- output of master " + g.pid() + " ----\n" + g.output());
        }
        trash.forEach(MasterSurvivalTest::deleteTree);
    }

    // ---- 1. spawn failure after the server has served ----

    @Test
    void aSpawnThatFailsForLackOfFdsIsLoggedBackedOffAndRetriedWhileTheWorkersServe() throws Exception {
        try (Gunicorn g = start("-w", "2", "--worker-cds", "off", "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            List<Long> first = g.awaitServingWorkers(2);
            long master = g.pid();
            // After the server has served: workers up for longer than the crash window (10 s), as in production.
            long servingSince = System.nanoTime();
            Wait.until("the workers to have served for 11 s", Duration.ofSeconds(30), () -> {
                assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok());
                return System.nanoTime() - servingSince > Duration.ofSeconds(11).toNanos();
            });
            String[] original = nofile(master);
            List<Integer> fds = fds(master);
            // First below the number of fds it has open: no fd can be made (EMFILE).
            int tight = Math.max(16, fds.size() - 5);
            int before;
            int after;
            try {
                // The soft limit only: without CAP_SYS_RESOURCE (a container), not even root raises a hard limit again.
                prlimit(master, Integer.toString(tight), original[1]);
                g.signal("TTIN");
                g.awaitOutput("Number of workers: 3 \\(TTIN\\)", Duration.ofSeconds(10));
                g.awaitOutput("\\[ERROR\\] Cannot start a worker; the running ones serve on: \\S.*", Duration.ofSeconds(10));
                g.awaitOutput("\\[ERROR\\] Crash loop: no worker could be started; next worker in 1000 ms "
                        + "\\(1 failures in a row\\)", Duration.ofSeconds(10));
                serveWhileTheMasterCannotSpawn(g, first);

                // Then with room for a few fds below the limit, still under the master's own fds at 1000 and
                // up: a spawn can make its pipes there but not move them up, so it still fails, and one that
                // leaked them would show in the count.
                int roomy = (int) fds(master).stream().filter(fd -> fd < HIGH_FD).count() + 16;
                assertTrue(roomy < HIGH_FD, "limit " + roomy);
                prlimit(master, Integer.toString(roomy), original[1]);
                awaitBackoff(g, 2, 2000);
                List<Integer> now = fds(master);
                before = now.size();
                long free = roomy - now.stream().filter(fd -> fd < roomy).count();
                assertTrue(free >= 4, free + " free fds below " + roomy + ": too few to see a leak " + now);
                awaitBackoff(g, 4, 8000);
                after = fds(master).size();
                serveWhileTheMasterCannotSpawn(g, first);
            } finally {
                if (Procs.alive(master)) {
                    prlimit(master, original[0], original[1]);
                }
            }
            assertTrue(after <= before + 1, "fds before two failed spawns " + before + ", after " + after
                    + ": the master leaks what a failed spawn opened\n" + fds(master));
            List<Long> three = g.awaitServingWorkers(3); // the back-off retries by itself
            assertTrue(three.containsAll(first), "the first two still serve: " + three);
            assertTrue(g.output().lines().noneMatch(l -> l.contains("Error in the master's housekeeping")), g.output());
            stop(g);
        }
    }

    /** Waits for the n-th failed spawn in a row; fails saying so if the back-off was reset instead. */
    private static void awaitBackoff(Gunicorn g, int n, long delayMillis) {
        try {
            g.awaitOutput("Crash loop: no worker could be started; next worker in " + delayMillis + " ms \\(" + n
                    + " failures in a row\\)", Duration.ofMillis(delayMillis * 2 + 5000));
        } catch (AssertionError e) {
            String out = g.output();
            throw new AssertionError("no back-off to " + delayMillis + " ms after " + n + " failed spawns: "
                    + count(out, "Cannot start a worker") + " failed spawns, " + count(out, "Workers stay up again")
                    + " resets (\"Workers stay up again\") so far; the last lines:\n"
                    + String.join("\n", out.lines().toList().subList(Math.max(0, (int) out.lines().count() - 12),
                            (int) out.lines().count())));
        }
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    private static void serveWhileTheMasterCannotSpawn(Gunicorn g, List<Long> first) {
        assertTrue(Procs.alive(g.pid()), "the master lives:\n" + g.output());
        assertEquals(sorted(first), sorted(g.workers()), "the same two workers, no third");
        for (int i = 0; i < 10; i++) {
            Http.Reply r = Http.getClosing("127.0.0.1", g.port(), "/");
            assertTrue(r.ok(), "request " + i + " while the master cannot spawn: " + r);
            assertTrue(first.contains(r.workerPid()), r.body());
        }
    }

    // ---- 2. garbage on a worker's status pipe ----

    @Test
    void aWorkerThatWritesALineOfGarbageOnItsStatusPipeIsReplaced() throws Exception {
        garbage("line", "a status line that is no message: garbage");
    }

    @Test
    void aWorkerThatWritesAnEndlessLineOnItsStatusPipeIsReplaced() throws Exception {
        garbage("long", "a status line longer than 4096 bytes");
    }

    private void garbage(String kind, String why) throws Exception {
        Path pidfile = tmp.resolve("app.pid");
        try (Gunicorn g = start("-w", "2", "-p", pidfile.toString(), "-cp", Gunicorn.FIXTURES.toString(),
                "fixtures.StatusPipeGarbageServlet")) {
            List<Long> first = g.awaitServingWorkers(2);
            long master = g.pid();
            Http.Reply r = Http.getClosing("127.0.0.1", g.port(), "/?garbage=" + kind);
            assertTrue(r.ok(), r.toString());
            long faulty = r.workerPid();
            assertTrue(first.contains(faulty), r.body());
            g.awaitOutput("\\[ERROR\\] Worker \\(pid:" + faulty + "\\) wrote " + java.util.regex.Pattern.quote(why)
                    + " on its status pipe; replacing it", Duration.ofSeconds(10));
            Wait.until("the faulty worker " + faulty + " to exit", Duration.ofSeconds(40), () -> !Procs.alive(faulty));
            List<Long> now = g.awaitServingWorkers(2);
            assertFalse(now.contains(faulty), now.toString());
            assertTrue(now.containsAll(first.stream().filter(p -> p != faulty).toList()), "the other worker serves on");
            assertTrue(Procs.alive(master), g.output());
            assertEquals(Long.toString(master), Gunicorn.read(pidfile).trim(), "the same master");
            for (int i = 0; i < 6; i++) {
                assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok());
            }
            stop(g);
        }
    }

    // ---- 3. the runtime directory removed by a tmp cleaner ----

    @Test
    void aRuntimeDirectoryRemovedUnderAServletClassIsMadeAgainForTheNextWorker() throws Exception {
        try (Gunicorn g = start("-w", "2", "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            runtimeDirectoryRemoved(g, "/", List.of());
        }
    }

    @Test
    void aRuntimeDirectoryRemovedUnderAWarIsMadeAgainForTheNextWorker() throws Exception {
        try (Gunicorn g = start("-w", "2", Apps.JAVAX.toString())) {
            runtimeDirectoryRemoved(g, "/hello", List.of("/static.txt", "/index.html"));
        }
    }

    /**
     * Without a spawn to make them again, the old workers of a WAR have lost their static files (they
     * serve them from the generation's unpacked copy in the runtime directory): the master makes the
     * files again on its next pass, not only before a spawn.
     */
    @Test
    void theStaticFilesOfAWarServeAgainSoonAfterTheRuntimeDirectoryIsRemoved() throws Exception {
        try (Gunicorn g = start("-w", "2", Apps.JAVAX.toString())) {
            g.awaitServingWorkers(2, "/hello");
            assertTrue(Http.getClosing("127.0.0.1", g.port(), "/static.txt").ok());
            removeTree(runtimeDirectory(g.pid()));
            int[] inARow = {0};
            Wait.until("static.txt answered 10 times in a row", Duration.ofSeconds(30), () -> {
                inARow[0] = Http.getClosing("127.0.0.1", g.port(), "/static.txt").ok() ? inARow[0] + 1 : 0;
                return inARow[0] >= 10;
            });
            stop(g);
        }
    }

    /**
     * Removes the runtime directory and sends TTIN. The app's servlets answer throughout, on the old
     * workers too; once the master has made the files again, so do the static files of a WAR.
     */
    private void runtimeDirectoryRemoved(Gunicorn g, String helloPath, List<String> staticPaths) throws Exception {
        List<Long> first = g.awaitServingWorkers(2, helloPath);
        for (String path : staticPaths) {
            assertTrue(Http.getClosing("127.0.0.1", g.port(), path).ok(), path);
        }
        Path runtime = runtimeDirectory(g.pid());
        assertTrue(Files.exists(runtime.resolve("worker-1.args")), runtime.toString());
        Object before = Files.readAttributes(runtime, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        removeTree(runtime);
        // The master may already have made it again (it checks on every pass): then it is another directory.
        assertTrue(!Files.exists(runtime) || !before.equals(
                Files.readAttributes(runtime, java.nio.file.attribute.BasicFileAttributes.class).fileKey()), runtime.toString());
        List<String> failures = new ArrayList<>();
        int[] requests = {0};
        java.util.function.Consumer<List<String>> probe = paths -> {
            for (String path : paths) {
                Http.Reply r = Http.getClosing("127.0.0.1", g.port(), path);
                requests[0]++;
                if (!r.ok()) {
                    failures.add(path + " -> " + r);
                }
            }
        };
        for (int i = 0; i < 6; i++) {
            probe.accept(List.of(helloPath)); // the old workers, with their files gone
        }
        g.signal("TTIN");
        g.awaitOutput("\\[WARNING\\] Generation 1's files are gone from " + java.util.regex.Pattern.quote(runtime.toString())
                + " \\(removed by a tmp cleaner\\?\\); making them again", Duration.ofSeconds(10));
        Wait.until("the files made again", Duration.ofSeconds(10), () -> Files.exists(runtime.resolve("worker-1.args")));
        Set<Long> answered = new HashSet<>();
        Wait.until("a third worker answering beside the first two", Gunicorn.BOOT, () -> {
            probe.accept(concat(helloPath, staticPaths));
            Http.Reply r = Http.getClosing("127.0.0.1", g.port(), helloPath);
            if (r.ok()) {
                answered.add(r.workerPid());
            }
            return g.workers().size() == 3 && answered.containsAll(g.workers());
        });
        assertTrue(g.workers().containsAll(first), "the old workers still run");
        assertEquals(List.of(), failures, requests[0] + " requests\n" + g.output());
        assertFalse(g.output().contains("Cannot start a worker"), g.output());
        stop(g);
    }

    // ---- 4. a HUP that fails after it opened new listeners ----

    @Test
    void aReloadThatFailsAfterBindingANewPortClosesItAndTheOldWorkersServeOn() throws Exception {
        Path config = tmp.resolve("gunicorn.toml");
        int a = freePort();
        int b = freePort();
        String hello = "app = \"" + Gunicorn.HELLO + "\"\nclasspath = [\"" + Gunicorn.HELLO_JAR + "\"]\nworkers = 2\n";
        Files.writeString(config, hello + "bind = [\"127.0.0.1:" + a + "\"]\n");
        try (Gunicorn g = start("-c", config.toString())) {
            List<Long> first = g.awaitServingWorkers(2);
            String both = "bind = [\"127.0.0.1:" + a + "\", \"127.0.0.1:" + b + "\"]\nworkers = 2\n";

            // Refused before anything is bound: a Servlet class that does not exist.
            Files.writeString(config, "app = \"fixtures.NoSuchServlet\"\nclasspath = [\"" + Gunicorn.FIXTURES + "\"]\n" + both);
            g.signal("HUP");
            g.awaitOutput("\\[ERROR\\] Reload failed, keeping the running configuration: .*NoSuchServlet.*",
                    Duration.ofSeconds(20));
            assertRefused(b);
            assertServedBy(first, a);

            // Refused after B is bound: a javax WAR under --servlet-api ee11 fails when it is staged.
            Files.writeString(config, "app = \"" + Apps.JAVAX + "\"\nservlet_api = \"ee11\"\n" + both);
            g.signal("HUP");
            g.awaitOutput("\\[ERROR\\] Reload failed, keeping the running configuration: .*uses javax\\.servlet.*",
                    Duration.ofSeconds(30));
            assertRefused(b);
            assertServedBy(first, a);
            assertTrue(g.output().lines().noneMatch(l -> l.contains("Reloading: generation")), g.output());
            assertEquals(sorted(first), sorted(g.workers()));

            // Fixed: B serves, and so does A.
            Files.writeString(config, hello.replace("workers = 2\n", "") + both);
            g.signal("HUP");
            g.awaitOutput("Listening at: http://127\\.0\\.0\\.1:" + b + " ", Duration.ofSeconds(20));
            g.awaitOutput("Generation \\d+ is serving; generation 1 retired", Gunicorn.BOOT);
            Wait.until("port " + b + " to serve", Duration.ofSeconds(10), () -> Http.getClosing("127.0.0.1", b, "/").ok());
            assertTrue(Http.getClosing("127.0.0.1", a, "/").ok());
            stop(g);
        }
    }

    private static void assertRefused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            throw new AssertionError("port " + port + " accepts a connection: a listener is still open");
        } catch (java.net.ConnectException refused) {
            // Nothing listens.
        } catch (IOException e) {
            throw new AssertionError("port " + port + ": " + e, e);
        }
    }

    private static void assertServedBy(List<Long> workers, int port) {
        for (int i = 0; i < 4; i++) {
            Http.Reply r = Http.getClosing("127.0.0.1", port, "/");
            assertTrue(r.ok(), r.toString());
            assertTrue(workers.contains(r.workerPid()), r.body());
        }
    }

    // ---- 5. SIGCHLD ignored by the master's parent ----

    /** Sets SIGCHLD to SIG_IGN, then execs the rest of its arguments; SIG_IGN survives exec. */
    private static final List<String> IGNORING_SIGCHLD = List.of("/usr/bin/python3", "-c",
            "import signal, os, sys; signal.signal(signal.SIGCHLD, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])");

    /**
     * bin/gunicorn started by a parent that ignores SIGCHLD, as a careless supervisor might: the master
     * runs with it at its default (on this machine dash, /bin/sh, resets it already; with bash as /bin/sh
     * the launcher's env --default-signal=CHLD does), reaps a killed worker and replaces it.
     */
    @Test
    void binGunicornStartedWithSigchldIgnoredStillReapsAndReplacesAKilledWorker() throws Exception {
        try (Gunicorn g = startWrapped(Gunicorn.HOME.resolve("bin/gunicorn"))) {
            sigchldIgnoredAtStart(g, false);
        }
    }

    /**
     * Past the launcher's own reset: dash (/bin/sh here) sets SIGCHLD back to its default itself, and
     * bin/gunicorn's env --default-signal=CHLD would too, so the parent that ignores it stands between
     * the shell and env here, in a copy of the launcher. The master must reset it itself, and say so.
     */
    @Test
    void aMasterThatInheritsSigchldIgnoredResetsItAndReplacesAKilledWorker() throws Exception {
        Path home = tmp.resolve("install");
        Files.createDirectories(home.resolve("bin"));
        String launcher = Files.readString(Gunicorn.HOME.resolve("bin/gunicorn"));
        String exec = "exec env --default-signal=CHLD ";
        assertTrue(launcher.contains(exec), "bin/gunicorn resets SIGCHLD as expected");
        Files.writeString(home.resolve("bin/gunicorn"), launcher.replace(exec, "exec " + IGNORING_SIGCHLD.get(0) + " -c '"
                + IGNORING_SIGCHLD.get(2) + "' /usr/bin/env "));
        Files.copy(Gunicorn.HOME.resolve("bin/gunicorn-jvm-env.sh"), home.resolve("bin/gunicorn-jvm-env.sh"));
        assertTrue(home.resolve("bin/gunicorn").toFile().setExecutable(true));
        Files.createSymbolicLink(home.resolve("lib"), Gunicorn.HOME.resolve("dist/target/gunicorn-jvm/lib"));
        Gunicorn started = Gunicorn.startWith(home.resolve("bin/gunicorn"), env(), "-w", "2", "-b", "127.0.0.1:0",
                "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO);
        trash.add(started.dir());
        this.started.add(started);
        try (Gunicorn g = started) {
            sigchldIgnoredAtStart(g, true);
        }
    }

    private Gunicorn startWrapped(Path launcher) throws IOException {
        Gunicorn g = Gunicorn.startWrapped(IGNORING_SIGCHLD, launcher, env(), "-w", "2", "-b", "127.0.0.1:0",
                "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO);
        trash.add(g.dir());
        started.add(g);
        return g;
    }

    private void sigchldIgnoredAtStart(Gunicorn g, boolean masterResets) throws Exception {
        List<Long> first = g.awaitServingWorkers(2);
        long master = g.pid();
        assertTrue(Procs.cmdline(master).startsWith("gunicorn: master"), "the wrapper exec'd: " + Procs.cmdline(master));
        long ignored = signalMask(master, "SigIgn");
        assertEquals(0, ignored & SIGCHLD_BIT, String.format("SigIgn %016x has SIGCHLD", ignored));
        assertEquals(masterResets,
                g.output().contains("SIGCHLD was ignored by the process that started the master; it is the default again"),
                g.output());
        long victim = first.get(0);
        Procs.kill("KILL", victim);
        g.awaitOutput("\\[ERROR\\] Worker \\(pid:" + victim + "\\) was sent SIGKILL!", Duration.ofSeconds(10));
        List<Long> now = g.awaitServingWorkers(2);
        assertFalse(now.contains(victim), now.toString());
        assertTrue(now.contains(first.get(1)), now.toString());
        // Reaped soon after: the class-data sharing training run may exit just now, and is a zombie until then.
        Wait.until("the master to reap every child it has (zombies: " + g.zombieChildren() + ")", Duration.ofSeconds(10),
                () -> g.zombieChildren().isEmpty());
        stop(g);
    }

    // ---- helpers ----

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("GUNICORN_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        env.put("TMPDIR", tmp.toString());
        return env;
    }

    /** A master on an ephemeral loopback port (unless the arguments bind), its temporary files in {@link #tmp}. */
    private Gunicorn start(String... args) throws IOException {
        List<String> all = new ArrayList<>();
        if (!List.of(args).contains("-c")) {
            all.addAll(List.of("-b", "127.0.0.1:0"));
        }
        all.addAll(List.of(args));
        Gunicorn g = Gunicorn.start(env(), all.toArray(new String[0]));
        trash.add(g.dir());
        started.add(g);
        return g;
    }

    /** A quick stop that must work after the fault, and leaves the master's files removed. */
    private void stop(Gunicorn g) {
        g.signal("TERM");
        assertEquals(0, g.awaitExit(Duration.ofSeconds(30)), g.output());
        g.awaitAllGone(Duration.ofSeconds(10));
        try (Stream<Path> left = Files.list(tmp)) {
            List<String> names = left.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("gunicorn-jvm-")).toList();
            assertEquals(List.of(), names, "the master removes its runtime and session directories");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path runtimeDirectory(long master) throws IOException {
        String prefix = "gunicorn-jvm-" + master + "-";
        try (Stream<Path> dirs = Files.list(tmp)) {
            List<Path> found = dirs.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(1, found.size(), "one runtime directory " + prefix + "* in " + tmp + ": " + found);
            return found.get(0);
        }
    }

    private static List<Integer> fds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.map(p -> Integer.parseInt(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list the fds of " + pid, e);
        }
    }

    /** The soft and hard "Max open files" of a process, as /proc/PID/limits shows them. */
    private static String[] nofile(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new String[] {f[0], f[1]};
            }
        }
        throw new AssertionError("no Max open files for " + pid);
    }

    private static void prlimit(long pid, String soft, String hard) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + soft + ":" + hard)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "prlimit --nofile=" + soft + ":" + hard + ": " + out);
        assertEquals(soft, nofile(pid)[0]);
    }

    /** A mask line of /proc/PID/status (SigIgn, SigBlk, ...), as a number. */
    private static long signalMask(long pid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(name + ":")) {
                return Long.parseUnsignedLong(line.substring(name.length() + 1).trim(), 16);
            }
        }
        throw new AssertionError("no " + name + " in /proc/" + pid + "/status");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static List<Long> sorted(List<Long> pids) {
        return pids.stream().sorted().toList();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    static void deleteTree(Path dir) {
        removeTree(dir);
        assertFalse(Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS), "cannot remove " + dir);
    }

    /** Removes what is there now; a process may be making parts of it again meanwhile. */
    private static void removeTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Reported below if the top stays.
                }
            });
        } catch (IOException e) {
            throw new AssertionError("cannot remove " + dir, e);
        }
    }
}
