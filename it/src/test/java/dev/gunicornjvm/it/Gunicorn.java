package dev.gunicornjvm.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real master started with the built bin/gunicorn, and handles on what a person would look at: its
 * pid, its workers' pids, its output, its pidfile and its port. {@link #close()} kills every process it
 * ever saw, so a failing test leaves nothing behind.
 */
final class Gunicorn implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("gunicorn.home", "..")).toAbsolutePath().normalize();
    static final Path HELLO_JAR = HOME.resolve("examples/hello/target/hello.jar");
    /** Test fixture servlets, compiled with the tests. */
    static final Path FIXTURES = HOME.resolve("it/target/test-classes");
    static final String HELLO = "example.HelloServlet";
    /** Generous: CI may boot several worker JVMs at once on 2 loaded cores. */
    static final Duration BOOT = Duration.ofSeconds(60);

    /** The pid in a log line of the master's or a worker's: "[2026-12-07 00:27:03 +0000] [3401] [INFO] ...". */
    private static final Pattern LOGGED_PID = Pattern.compile("^\\[[^]]+\\] \\[(\\d+)\\] \\[", Pattern.MULTILINE);
    private static final Pattern LISTENING = Pattern.compile("Listening at: http://(\\S+):(\\d+) \\(\\d+\\)");

    private final Process process;
    private final Path dir;
    private final Path output;
    private final Set<Long> seen = new HashSet<>();
    private int port;

    /** The --error-logfile, if the test gave one: its lines count as output too. */
    private final Path errorLog;

    private Gunicorn(Process process, Path dir, Path output, Path errorLog) {
        this.process = process;
        this.dir = dir;
        this.output = output;
        this.errorLog = errorLog;
        seen.add(process.pid());
    }

    /** Starts bin/gunicorn with these arguments in a fresh directory (its pidfile lands there). */
    static Gunicorn start(String... args) throws IOException {
        return start(java.util.Map.of(), args);
    }

    /** The same, with extra environment variables. */
    static Gunicorn start(java.util.Map<String, String> env, String... args) throws IOException {
        return startWith(HOME.resolve("bin/gunicorn"), env, args);
    }

    /** The same, with the launcher of another installation. */
    static Gunicorn startWith(Path launcher, java.util.Map<String, String> env, String... args) throws IOException {
        return startWrapped(List.of(), launcher, env, args);
    }

    /**
     * The same, with the launcher started through a wrapper command that execs it (e.g. one that sets a
     * signal disposition first): {@code wrapper... launcher args...}. The wrapper must exec, so that the
     * process started here is the master.
     */
    static Gunicorn startWrapped(List<String> wrapper, Path launcher, java.util.Map<String, String> env, String... args)
            throws IOException {
        Path dir = Scratch.dir("gunicorn-");
        Path output = dir.resolve("output.log");
        List<String> command = new ArrayList<>(wrapper);
        command.add(launcher.toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // Workers' class-data sharing archives (and gunictl's) go to this run's own cache, not the user's.
        pb.environment().put("XDG_CACHE_HOME", HOME.resolve("it/target/cache").toString());
        // The master's runtime and session directories, and its workers' temporary files, in the test's
        // own directory: removed with it, even after a kill -9 (bin/gunicorn hands TMPDIR to the JVM).
        pb.environment().put("TMPDIR", Files.createDirectory(dir.resolve("tmp")).toString());
        pb.environment().putAll(env);
        String serverJava = System.getProperty("server.java");
        if (serverJava != null && !serverJava.isBlank()) {
            pb.environment().put("GUNICORN_JAVA", serverJava);
        }
        int e = command.indexOf("--error-logfile");
        Path errorLog = e > 0 ? Path.of(command.get(e + 1)) : null;
        return new Gunicorn(pb.start(), dir, output, errorLog);
    }

    /** Starts the hello app with -w N on an ephemeral loopback port, plus extra arguments. */
    static Gunicorn hello(int workers, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("-w", Integer.toString(workers), "-b", "127.0.0.1:0",
                "-cp", HELLO_JAR.toString()));
        args.addAll(Arrays.asList(extra));
        args.add(HELLO);
        return start(args.toArray(new String[0]));
    }

    /** Serves a WAR or webapp directory with -w N on an ephemeral loopback port, plus extra arguments. */
    static Gunicorn app(Path app, int workers, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("-w", Integer.toString(workers), "-b", "127.0.0.1:0"));
        args.addAll(Arrays.asList(extra));
        args.add(app.toString());
        return start(args.toArray(new String[0]));
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    Path dir() {
        return dir;
    }

    /** The TMPDIR of the master (and of a master a USR2 starts from it), inside {@link #dir()}. */
    Path tmpdir() {
        return dir.resolve("tmp");
    }

    /** What the master and its workers printed, and wrote to the error log file if there is one. */
    String output() {
        return read(output) + (errorLog == null ? "" : read(errorLog));
    }

    /** How many times {@code regex} matches in {@link #output()}. */
    int outputMatches(String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(output());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits for a line of output matching the regex; returns the match. */
    Matcher awaitOutput(String regex, Duration limit) {
        Pattern p = Pattern.compile(regex);
        return Wait.forValue("output matching /" + regex + "/ in:\n" + output(), limit, () -> {
            Matcher m = p.matcher(output());
            return m.find() ? m : null;
        });
    }

    /** The port of the first TCP listener, from "Listening at: http://HOST:PORT (PID)". */
    int port() {
        if (port == 0) {
            port = Integer.parseInt(awaitOutput(LISTENING.pattern(), BOOT).group(2));
        }
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    List<Long> workers() {
        return workersOf(pid());
    }

    /** Workers of another master this test started through this one (a daemon); they are cleaned up too. */
    List<Long> workersOf(long master) {
        seen.add(master);
        List<Long> workers = Procs.children(master).stream()
                .filter(p -> Procs.cmdline(p).startsWith("gunicorn: worker")).toList();
        seen.addAll(workers);
        return workers;
    }

    /**
     * Waits until exactly {@code n} workers run and requests reach {@code n} distinct workers;
     * returns their pids.
     */
    List<Long> awaitServingWorkers(int n) {
        return awaitServingWorkers(n, "/");
    }

    /** The same, asking a path of the app that names the worker ("... worker PID ..."). */
    List<Long> awaitServingWorkers(int n, String path) {
        return awaitServingWorkersOf(pid(), n, path);
    }

    /** The same for the workers of another master that serves the same listeners (a USR2 upgrade's). */
    List<Long> awaitServingWorkersOf(long master, int n, String path) {
        Wait.until(n + " workers of master " + master + " running", BOOT, () -> workersOf(master).size() == n);
        Set<Long> answered = new HashSet<>();
        Wait.until(n + " distinct workers answering", BOOT, () -> {
            // A new connection each time: a kept-alive one would always reach the same worker.
            Http.Reply r = Http.getClosing("127.0.0.1", port(), path);
            if (r.ok()) {
                answered.add(r.workerPid());
            }
            return answered.containsAll(workersOf(master)) && workersOf(master).size() == n;
        });
        return workersOf(master);
    }

    void signal(String name) {
        Procs.kill(name, pid());
    }

    /** Waits for the master to exit and returns its exit code. */
    int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("master " + pid() + " still running after " + limit.toMillis() + " ms:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Children of the master that exited but were not reaped. */
    List<Long> zombieChildren() {
        return Procs.children(pid()).stream().filter(p -> Procs.state(p).equals("Z")).toList();
    }

    /** Waits until none of the processes this master ever had is alive. */
    void awaitAllGone(Duration limit) {
        Wait.until("every process of master " + pid() + " to be gone (seen " + seen + ")", limit,
                () -> seen.stream().noneMatch(Procs::alive));
    }

    /** Zombie children still there after the master had a moment to reap them (it reaps on SIGCHLD). */
    private List<Long> lastingZombies() {
        try {
            Wait.until("children to be reaped", Duration.ofSeconds(10),
                    () -> !process.isAlive() || zombieChildren().isEmpty());
            return List.of();
        } catch (AssertionError e) {
            return zombieChildren();
        }
    }

    private void addDescendants() {
        boolean grew = true;
        while (grew) {
            grew = false;
            for (long p : List.copyOf(seen)) {
                grew |= seen.addAll(Procs.children(p));
            }
        }
    }

    Set<Long> seen() {
        return Set.copyOf(seen);
    }

    /**
     * The JVMs killed above with -9 leave their attach sockets in /tmp. Every process of this master
     * that ever ran wrote its pid in the log ("[PID] [INFO] Booting worker ..."), including the workers
     * the test never looked at and a new master of an upgrade.
     */
    private void removeAttachSockets() {
        Set<Long> pids = new HashSet<>(seen);
        Matcher m = LOGGED_PID.matcher(output());
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        pids.forEach(Procs::removeAttachSocket);
    }

    /** Kills everything, after checking that the master left no child unreaped. */
    @Override
    public void close() {
        List<Long> zombies = process.isAlive() ? lastingZombies() : List.of();
        workers();
        addDescendants(); // workers, and a new master an upgrade started, and its workers
        for (long p : seen) {
            if (Procs.alive(p)) {
                Procs.kill("KILL", p);
            }
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Wait.until("test processes to be gone", Duration.ofSeconds(10), () -> seen.stream().noneMatch(Procs::alive));
        removeAttachSockets();
        if (!zombies.isEmpty()) {
            throw new AssertionError("master " + pid() + " left zombie children " + zombies);
        }
    }
}
