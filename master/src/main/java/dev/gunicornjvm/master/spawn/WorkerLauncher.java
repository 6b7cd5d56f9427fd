package dev.gunicornjvm.master.spawn;

import dev.gunicornjvm.common.app.ServletEnvironment;
import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.common.pipe.WorkerFds;
import dev.gunicornjvm.common.posix.InheritedFd;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.SpawnRequest;
import dev.gunicornjvm.common.process.ProcessRole;
import dev.gunicornjvm.common.edge.EdgeSettings;
import dev.gunicornjvm.common.hooks.WorkerHookSettings;
import dev.gunicornjvm.common.process.WorkerSettings;
import dev.gunicornjvm.common.signals.SignalReceiver;
import dev.gunicornjvm.master.app.AppSettings;
import dev.gunicornjvm.master.app.AppSource;
import dev.gunicornjvm.master.app.SessionDirectory;
import dev.gunicornjvm.master.app.StagedApp;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.config.WorkerJava;
import dev.gunicornjvm.master.daemon.DaemonNotifier;
import dev.gunicornjvm.master.socket.Listener;
import dev.gunicornjvm.master.socket.ListenerFactory;
import dev.gunicornjvm.master.systemd.SystemdNotifier;
import dev.gunicornjvm.master.upgrade.Handover;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Starts worker JVMs with posix_spawn. Each worker gets the listeners at fd 3 and up, its two pipe ends
 * after them, nothing else (JVM-FACTS 8), and the signal mask already set (JVM-FACTS 2, 7). Its argv[0]
 * is the process title (JVM-FACTS 9), and every other argument sits in an @argfile so that {@code ps}
 * stays readable.
 */
public final class WorkerLauncher {
    /** JVM options the protocol itself needs; users cannot remove them. */
    private static final List<String> REQUIRED_JVM_OPTIONS = List.of(
            "-Xrs", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            // A worker makes a handful of native calls (its signal thread, its title, setuid). jnr-ffi
            // would generate and load bytecode for every libc function we bind at boot, about a fifth
            // of a worker's start-up CPU; bound by reflection, calls are slower but start costs nothing.
            "-Djnr.ffi.asm.enabled=false");
    /**
     * Worker JVM options that only save start-up time; --worker-java-opts come after, and win. Jetty's
     * MemoryUtils asks the platform MBean server whether compressed oops are on unless told how many
     * references fill a cache line: that one question starts JMX and loads some 400 classes of
     * java.management and jdk.jfr. 16 is the answer for heaps under 32 GB (4-byte references in 64 bytes);
     * a wrong answer only changes the padding of a few contended arrays.
     */
    private static final List<String> BOOT_JVM_OPTIONS = List.of("-Dorg.eclipse.jetty.util.referencesPerCacheLine=16");
    /**
     * Options for JDK 25 JVMs that make or map an AOT cache, so that the error log gets no lines from it
     * at each worker start. JDK 25.0.3 caches the adapters between interpreted and compiled code in the
     * cache, then fails to match some of them when a worker maps it, warning twice at every start
     * ("Saved blob's name ... is different from the expected name", "Failed to link AdapterHandlerEntry");
     * without adapter caching, the cache still holds the classes, their linking and the profiles. The
     * log selections hide its other notes (a cache made for other jars, which our fingerprint prevents).
     */
    public static final List<String> AOT_QUIET = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching",
            "-Xlog:aot*=off", "-Xlog:cds*=off");
    /** The worker's main class; its one argument is the settings file (see WorkerSettings). */
    private static final String WORKER_MAIN = "dev.gunicornjvm.worker.WorkerMain";

    /**
     * Jars of the master and gunictl (their code, the control protocol's JSON, TOML, the command lines, the
     * shell, BouncyCastle, which reads the operator's PEM keys: workers get a PKCS#12 the JDK reads, and the
     * Prometheus client of --metrics-bind: workers send their numbers to the master as text).
     */
    private static final List<String> MASTER_ONLY_JARS = List.of("gunicorn-master-", "gunicorn-ctl-",
            "jackson-core-", "jackson-databind-", "jackson-dataformat-", "picocli-", "jline-",
            "bcprov-", "bcpkix-", "bcutil-", "prometheus-metrics-");

    private final Posix posix;
    private final Path runtimeDir;
    private final SessionDirectory sessions;
    private final String serverClasspath = System.getProperty("java.class.path");

    /** @param sessions where the workers' sessions go when --session-store keeps them in the private directory */
    public WorkerLauncher(Posix posix, Path runtimeDir, SessionDirectory sessions) {
        this.posix = posix;
        this.runtimeDir = runtimeDir;
        this.sessions = sessions;
    }

    /**
     * The jars workers run from: the master's own class path (the server's jars) and the Servlet
     * environment's jars (lib/ee11, ...), exactly one environment, whose Servlet API the app is for.
     */
    public List<Path> workerClasspath(ServletEnvironment environment) {
        List<Path> jars = new ArrayList<>(Arrays.stream(serverClasspath.split(File.pathSeparator))
                .filter(s -> !s.isEmpty()).map(Path::of).filter(WorkerLauncher::workersNeed).toList());
        Path lib = ServletEnvironment.libDirectory();
        List<Path> environmentJars = lib == null ? List.of() : environment.jars(lib);
        if (environmentJars.isEmpty()) {
            throw new IllegalStateException("the " + environment.id() + " environment's jars are missing (lib/"
                    + environment.id() + " next to the server's jars; reinstall gunicorn-jvm)");
        }
        jars.addAll(environmentJars);
        return jars;
    }

    /**
     * False for the jars only the master and gunictl use. They would cost a worker nothing but a
     * longer class path, were it not for Log4j, which finds Jackson there and loads its JSON
     * configuration support (about 130 classes) at every boot.
     */
    static boolean workersNeed(Path jar) {
        String name = jar.getFileName() == null ? "" : jar.getFileName().toString();
        return MASTER_ONLY_JARS.stream().noneMatch(name::startsWith);
    }

    /**
     * Writes the argfile for one generation of workers, and the settings file it names (all workers of a
     * generation share both).
     */
    public Path writeArgFile(Settings settings, StagedApp app, List<Listener> listeners, int generation)
            throws IOException {
        return writeArgFile(settings, app, listeners, "worker-" + generation, generation, UnaryOperator.identity());
    }

    /**
     * Removes the files {@link #writeArgFile} wrote for a generation whose workers are all gone: its
     * argfile, its settings file and its copy of the TLS keys.
     */
    public void removeGenerationFiles(int generation) {
        String name = "worker-" + generation;
        for (String file : new String[] {name + ".args", name + ".properties", name + "-tls.p12", name + "-tls-ca.p12"}) {
            try {
                Files.deleteIfExists(runtimeDir.resolve(file));
            } catch (IOException e) {
                // The runtime directory goes with the master anyway; the next retirement tries again.
            }
        }
    }

    /** The settings file next to an argfile: worker-N.args names worker-N.properties. */
    public static Path settingsFile(Path argFile) {
        String name = argFile.getFileName().toString();
        return argFile.resolveSibling(name.substring(0, name.length() - ".args".length()) + ".properties");
    }

    private Path writeArgFile(Settings settings, StagedApp app, List<Listener> listeners, String name, int generation,
                              UnaryOperator<WorkerSettings> role) throws IOException {
        Path argFile = runtimeDir.resolve(name + ".args");
        Path settingsFile = settingsFile(argFile);
        // Each generation gets its own copy of the TLS keys, read now: a HUP picks up a renewed certificate.
        // Runs without a TLS listener (the check, the class-data sharing training on its own plain
        // listener) get none: no copy of the key is written that nothing needs.
        boolean tls = settings.tls() != null && listeners.stream().anyMatch(l -> l.address().tls());
        EdgeSettings edge = !tls ? settings.edge().withTls(null)
                : settings.edge().withTls(settings.tls().writeFor(runtimeDir, name + "-tls"));
        role.apply(workerSettings(settings, app, listeners, edge, generation)).write(settingsFile);
        List<String> args = new ArrayList<>(REQUIRED_JVM_OPTIONS);
        if (settings.workerJava().needsNativeAccessOptions()) {
            // jnr-ffi uses native access and sun.misc.Unsafe; say so, or JDK 25 prints warnings (JVM-FACTS 13).
            args.add("--enable-native-access=ALL-UNNAMED");
            args.add("--sun-misc-unsafe-memory-access=allow");
        }
        args.addAll(BOOT_JVM_OPTIONS);
        // The master's temporary directory ($TMPDIR, which bin/gunicorn hands to the JVM): the app's own
        // temporary files land where the operator said. --worker-java-opts come after, and still win.
        args.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        args.addAll(settings.workerJavaOptions());
        args.add("-cp");
        args.add(workerClasspath(app.environment()).stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator)));
        args.add(WORKER_MAIN);
        args.add(settingsFile.toString());
        Files.write(argFile, args.stream().map(WorkerLauncher::quote).collect(Collectors.toList()), StandardCharsets.UTF_8);
        return argFile;
    }

    /**
     * What the workers of a generation are told, apart from the JVM's options. The check and training
     * runs (generation 0) run no hooks: they serve no one.
     */
    WorkerSettings workerSettings(Settings settings, StagedApp app, List<Listener> listeners, EdgeSettings edge,
                                  int generation) {
        AppSettings appSettings = settings.app();
        return new WorkerSettings(
                app.webapp() != null ? null : ((AppSource.ServletClass) appSettings.source()).className(),
                app.webapp() == null ? null : app.webapp().toString(),
                app.classpath().stream().map(Path::toString).toList(),
                app.workDirectory() == null ? null : app.workDirectory().toString(),
                appSettings.rootPath(), appSettings.initParameters(), appSettings.warmupPath(),
                sessions.storeArgument(settings.sessionStore()),
                listeners.stream().map(Listener::spec).toList(),
                settings.threads(),
                settings.limits().line() + "," + settings.limits().fields() + "," + settings.limits().fieldSize(),
                settings.headerMap().id(), edge, settings.maxRequests(), settings.maxRequestsJitter(),
                settings.gracefulTimeoutSeconds(), settings.keepAliveSeconds(), heartbeatMillis(settings),
                settings.errorLog(), settings.accessLog(), settings.logLevel(),
                settings.workerUser() == null ? null : settings.workerUser().uid(),
                settings.workerUser() == null ? null : settings.workerUser().gid(),
                settings.title(), false, false, settings.requestLog(), settings.metrics() != null,
                settings.hooks().javaClass() == null || generation == 0 ? null
                        : new WorkerHookSettings(settings.hooks().javaClass(), settings.hooks().timeoutMillis(), generation));
    }

    /**
     * The options that make a worker map its archive. A JDK 25 worker that maps an AOT cache says
     * nothing about it; see {@link #AOT_QUIET} for what it would say.
     */
    static List<String> archiveOptions(WorkerJava java, Path archive) {
        if (java.aotCache()) {
            List<String> options = new ArrayList<>();
            options.add("-XX:AOTCache=" + archive);
            options.addAll(AOT_QUIET);
            return options;
        }
        return List.of("-XX:SharedArchiveFile=" + archive);
    }

    /** Heartbeats come often enough that a few may be late before --timeout runs out. */
    static long heartbeatMillis(Settings settings) {
        if (settings.timeoutSeconds() == 0) {
            return 1000; // no timeout: heartbeats only carry the request count
        }
        long timeoutMillis = settings.timeoutSeconds() * 1000L;
        return Math.max(100, Math.min(1000, timeoutMillis / 4));
    }

    /**
     * Starts a worker of a generation.
     *
     * @param archive the workers' class-data sharing archive, if one exists (see CdsTrainer): a dynamic
     *                CDS archive, or on JDK 25 and later the JDK's AOT cache
     * @param standby boot and warm up, but accept only when the master promotes it
     */
    public SpawnedWorker spawn(Settings settings, List<Listener> listeners, Path argFile, Optional<Path> archive,
                               boolean standby) throws IOException {
        List<String> jvmOptions = new ArrayList<>(archive.map(a -> archiveOptions(settings.workerJava(), a)).orElse(List.of()));
        if (standby) {
            jvmOptions.add("-D" + WorkerFds.STANDBY_PROPERTY + "=true"); // a system property: no settings file of its own
        }
        ProcessRole role = standby ? ProcessRole.STANDBY : ProcessRole.WORKER;
        return spawn(settings, listeners, argFile, jvmOptions, role.title(settings.title()), SignalReceiver.blockedSet(),
                LogSettings.fileOrNull(settings.errorLog()));
    }

    /**
     * Starts a worker that deploys the app on no listener, prints what it found and exits
     * (--check-config). Its output is the terminal's, and no signal is blocked, so that Ctrl-C ends it.
     */
    public SpawnedWorker spawnChecker(Settings settings, StagedApp app) throws IOException {
        Settings quiet = settings.withLogs(LogSettings.STREAM, null);
        Path argFile = writeArgFile(quiet, app, List.of(), "check", 0, WorkerSettings::forCheck);
        return spawn(quiet, List.of(), argFile, List.of(), ProcessRole.CHECK.title(settings.title()), new int[0],
                LogSettings.fileOrNull(quiet.errorLog()));
    }

    /**
     * Starts a worker that trains the class-data sharing archive on a listener of its own, then exits.
     *
     * @param stderr where its standard error goes: not the error log, which would get the JVM's notes on
     *               the archive it makes (and on JDK 25 the command line of the JVM that assembles it)
     */
    public SpawnedWorker spawnTrainer(Settings settings, StagedApp app, Listener listener, List<String> jvmOptions,
                                      Path stderr) throws IOException {
        Path argFile = writeArgFile(settings, app, List.of(listener), "cds-training", 0, WorkerSettings::forTraining);
        // Not titled "worker": it serves nobody, and people (and tests) counting workers must not count it.
        return spawn(settings, List.of(listener), argFile, jvmOptions, ProcessRole.CDS_TRAINING.title(settings.title()),
                SignalReceiver.blockedSet(), stderr.toString());
    }

    /** JVM options given before the argfile; the user's --worker-java-opts in it still win. */
    private SpawnedWorker spawn(Settings settings, List<Listener> listeners, Path argFile, List<String> jvmOptions,
                                String title, int[] blockedSignals, String stderr) throws IOException {
        Pipes pipes = Pipes.open(posix);
        int statusRead = pipes.statusRead();
        int statusWrite = pipes.statusWrite();
        int lifelineRead = pipes.lifelineRead();
        int lifelineWrite = pipes.lifelineWrite();
        Map<Integer, Integer> childFds = new HashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            childFds.put(WorkerFds.FIRST_LISTENER + i, listeners.get(i).fd());
        }
        childFds.put(WorkerFds.statusPipe(listeners.size()), statusWrite);
        childFds.put(WorkerFds.lifelinePipe(listeners.size()), lifelineRead);
        List<String> argv = new ArrayList<>();
        argv.add(title);
        argv.addAll(jvmOptions);
        argv.add("@" + argFile);
        try {
            int pid = posix.spawn(new SpawnRequest(settings.workerJava().executable().toString(), argv, environment(), childFds,
                    blockedSignals, false, stderr));
            InputStream statusStream = new FileInputStream(InheritedFd.of(statusRead));
            return new SpawnedWorker(pid, statusStream, lifelineWrite);
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a libc without posix_spawn_file_actions_addclosefrom_np (glibc before 2.34).
            posix.close(statusRead);
            posix.close(lifelineWrite);
            throw new IOException("cannot start worker: " + e.getMessage(), e);
        } finally {
            // The child has its copies now; the master keeps only its own ends.
            posix.close(statusWrite);
            posix.close(lifelineRead);
        }
    }

    /**
     * A worker's two pipes, the master's ends moved above the fds children receive. When the fds run
     * out half-way (EMFILE), the ones already made are closed again: a master that fails a spawn
     * retries later, and must not leak a pipe each time.
     */
    private record Pipes(int statusRead, int statusWrite, int lifelineRead, int lifelineWrite) {
        static Pipes open(Posix posix) throws IOException {
            List<Integer> made = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    for (int fd : posix.pipe()) {
                        made.add(fd);
                    }
                }
                for (int i = 0; i < made.size(); i++) {
                    made.set(i, posix.moveAbove(made.get(i), ListenerFactory.HIGH_FD)); // closes the original
                }
                return new Pipes(made.get(0), made.get(1), made.get(2), made.get(3));
            } catch (RuntimeException e) {
                made.forEach(posix::close);
                throw new IOException("cannot start worker: " + e.getMessage(), e);
            }
        }
    }

    /** Workers get the master's environment, with the setting HotSpot needs to leave USR2 alone. */
    private static List<String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("_JAVA_SR_SIGNUM", "40");
        env.remove(DaemonNotifier.ENV); // the daemon's pipe to its starting command is the master's alone
        env.keySet().removeAll(Handover.PRIVATE); // so are the listeners an old master handed over
        env.remove(SystemdNotifier.ENV); // only masters talk to systemd
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.toList());
    }

    /** Quotes one argument for a java @argfile. */
    private static String quote(String arg) {
        return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
