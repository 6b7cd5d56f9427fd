package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.common.logging.Logging;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.master.cds.CdsArchive;
import dev.gunicornjvm.master.cds.CdsTrainer;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.common.process.PidFile;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.common.signals.SignalReceiver;
import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.ControlResponse;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.master.Master;
import dev.gunicornjvm.master.app.AppStager;
import dev.gunicornjvm.master.app.SessionDirectory;
import dev.gunicornjvm.master.app.StagedApp;
import dev.gunicornjvm.master.config.Version;
import dev.gunicornjvm.master.control.ControlServer;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.config.SettingsReloader;
import dev.gunicornjvm.master.daemon.DaemonNotifier;
import dev.gunicornjvm.master.socket.Listener;
import dev.gunicornjvm.master.socket.ListenerSet;
import dev.gunicornjvm.master.spawn.SpawnedWorker;
import dev.gunicornjvm.master.spawn.WorkerLauncher;
import dev.gunicornjvm.master.systemd.SystemdNotifier;
import dev.gunicornjvm.master.upgrade.NewMasterLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The master's brain, after Gunicorn's arbiter: one thread owns the worker table, the target count and
 * the shutdown state. Each pass of {@link #run()} handles the queued events (signals, worker messages),
 * then does the housekeeping: reap exited workers, kill silent ones, and bring the number of workers
 * back to the target. Signals coalesce, so every decision is made from the state, never from counts.
 */
public final class Arbiter {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    private static final long LOOP_TICK_MILLIS = 200;
    /** How long workers get to exit after TERM before they are killed (quick shutdown). */
    private static final long QUICK_STOP_MILLIS = 1000;
    /** Extra time the master gives workers past --graceful-timeout, so that one using all of it exits by itself. */
    private static final long GRACE_MARGIN_MILLIS = 2000;
    /** A worker dying this soon after it started accepting counts as a crash loop step. */
    private static final long CRASH_WINDOW_MILLIS = 10_000;
    /** How long a thread dump of a silent worker may take before the worker is killed anyway. */
    private static final long DUMP_LIMIT_MILLIS = 3000;

    private final Posix posix;
    private final ListenerSet listeners;
    private final WorkerLauncher launcher;
    private final AppStager stager;
    private final SessionDirectory sessions;
    private final CdsTrainer cdsTrainer;
    private final SettingsReloader reloader;
    private final DaemonNotifier daemon;
    private final NewMasterLauncher upgrader;
    private final SystemdNotifier systemd;
    /** Started with -D: fixed for the master's life, whatever a reloaded configuration says. */
    private final boolean daemonized;
    /** The master that started this one by USR2, or 0; while it lives, both serve the same sockets. */
    private final int oldMaster;
    /** The new master this one started by USR2, or 0. */
    private int newMaster;
    /** The pidfile naming this master: PIDFILE, or PIDFILE.oldbin while a new master exists. */
    private PidFile pidFile;
    private ControlServer control;
    private final long startedNanos = System.nanoTime();
    private long reloads;
    /** Generations made so far; numbers are never reused, not even after an abandoned reload. */
    private int generations = 1;
    /** A HUP arrived while a reload was in progress: reload again when it is done. */
    private boolean reloadPending;
    /** The outcome of the latest HUP, reported by gunictl reload. */
    private MasterStatus.Reload lastReload;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Integer, WorkerRecord> workers = new LinkedHashMap<>();
    private final int pid;

    /** The generation new workers belong to. */
    private Generation current;
    /** During a reload, the generation being replaced; it keeps serving until the new one accepts. */
    private Generation previous;
    private int previousTarget;
    private int targetWorkers;
    /** The target before a WINCH stopped every worker; HUP restores it. */
    private Integer targetBeforeWinch;
    private long spawnCount;
    /** Boot failures and early crashes in a row; spawning backs off while it grows. */
    private int failuresInARow;
    private long nextSpawnNanos;
    /** Non-null once shutting down: the nanos at which whatever is left gets SIGKILL. */
    private Long stopDeadlineNanos;
    private int exitCode = ExitCodes.OK;
    /** True once a worker of the current generation has accepted; until then a boot failure is fatal. */
    private boolean currentEverReady;
    /** The daemon's starting command is told once, when the first workers accept. */
    private boolean announcedReady;

    /** @throws IOException when the first generation cannot be staged or its argfile written */
    public Arbiter(Posix posix, Settings settings, ListenerSet listeners, List<Listener> bound, Path runtimeDir,
                   SessionDirectory sessions, SettingsReloader reloader, DaemonNotifier daemon,
                   NewMasterLauncher upgrader, int oldMaster) throws IOException {
        this.posix = posix;
        this.listeners = listeners;
        this.sessions = sessions;
        this.launcher = new WorkerLauncher(posix, runtimeDir, sessions);
        this.stager = new AppStager(posix, runtimeDir);
        this.cdsTrainer = new CdsTrainer(posix, launcher);
        this.reloader = reloader;
        this.daemon = daemon;
        this.upgrader = upgrader;
        this.oldMaster = oldMaster;
        this.systemd = SystemdNotifier.fromEnvironment(posix);
        this.daemonized = settings.daemon();
        this.pidFile = settings.pidFile() == null ? null : new PidFile(settings.pidFile());
        this.targetWorkers = settings.workers();
        this.pid = posix.pid();
        this.current = newGeneration(1, settings, bound);
    }

    private Generation newGeneration(int number, Settings settings, List<Listener> bound) throws IOException {
        StagedApp app = stager.stage(number, settings.app(),
                settings.workerUser() == null ? null : settings.workerUser().owner());
        Optional<CdsArchive> cds = CdsArchive.of(settings.workerCdsDir(), settings.app().source().shortName(),
                settings.workerJavaOptions(), launcher.workerClasspath(app.environment()), settings.app().files());
        return new Generation(number, settings, bound, launcher.writeArgFile(settings, app, bound, number), cds, app);
    }

    /** Generations whose staged files someone may still read: the current and previous ones, running workers'. */
    private Set<Integer> generationsInUse() {
        Set<Integer> inUse = new HashSet<>();
        inUse.add(current.number());
        if (previous != null) {
            inUse.add(previous.number());
        }
        workers.values().forEach(w -> inUse.add(w.generation));
        cdsTrainer.generation().ifPresent(inUse::add);
        return inUse;
    }

    private Settings settings() {
        return current.settings();
    }

    /** Runs until the master has stopped; returns the exit code. */
    public int run() {
        SignalReceiver.start(posix, s -> events.add(new Event.SignalReceived(s)));
        startControlServer();
        manageWorkers();
        while (true) {
            handleEvents();
            reapWorkers();
            if (stopDeadlineNanos != null) {
                if (workers.isEmpty()) {
                    break;
                }
                if (System.nanoTime() - stopDeadlineNanos >= 0) {
                    killAll();
                }
                continue;
            }
            murderSilentWorkers();
            killOverdueWorkers();
            manageWorkers();
        }
        LOG.info("Shutting down: Master");
        return exitCode;
    }

    private void handleEvents() {
        try {
            Event event = events.poll(LOOP_TICK_MILLIS, TimeUnit.MILLISECONDS);
            while (event != null) {
                try {
                    handle(event);
                } catch (RuntimeException e) {
                    // A bug in one handler must not take the master, and with it every worker, down.
                    LOG.error("Error while handling {}: {}", event, e, e);
                }
                event = events.poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(false);
        }
    }

    private void handle(Event event) {
        if (event instanceof Event.SignalReceived s) {
            Optional<Signal> signal = Signal.ofNumber(s.signal().number());
            if (signal.isEmpty()) {
                LOG.warn("Ignoring unknown signal: {}", s.signal().number());
            } else {
                handleSignal(signal.get());
            }
        } else if (event instanceof Event.WorkerSaid said) {
            handleWorkerMessage(said.pid(), said.message());
        } else if (event instanceof Event.ControlCall call) {
            call.answer().complete(control(call.request()));
        } else if (event instanceof Event.ThreadDumpTaken dump) {
            WorkerRecord w = workers.get(dump.pid());
            LOG.error("Thread dump of worker (pid:{}):\n{}", dump.pid(), dump.dump());
            if (w != null) {
                posix.kill(w.pid, Signal.KILL_NUMBER);
            }
        }
        // WorkerPipeClosed needs no action: the exit itself is seen by reaping.
    }

    // ---- the control socket ----

    private void startControlServer() {
        Path directory = settings().controlDirectory();
        if (directory == null) {
            return;
        }
        try {
            control = ControlServer.start(directory, pid, (request, answer) -> events.add(new Event.ControlCall(request, answer)));
            LOG.debug("Control socket at {}", control.socket());
        } catch (IOException e) {
            LOG.error("No control socket (gunictl will only send signals): cannot listen in {}: {}", directory, e.getMessage());
        }
    }

    /** Answers a control request on the arbiter's thread, so that what it reports is consistent. */
    private ControlResponse control(ControlRequest request) {
        switch (request.command()) {
            case "status":
                return ControlResponse.success(request.id(), status());
            case "scale":
                Object n = request.args() == null ? null : request.args().get("workers");
                if (!(n instanceof Number number) || number.intValue() < 1 || number.doubleValue() != number.intValue()) {
                    return ControlResponse.failure(request.id(), "invalid-argument",
                            "scale needs args.workers, a whole number of at least 1");
                }
                if (stopDeadlineNanos != null) {
                    return ControlResponse.failure(request.id(), "stopping", "the master is shutting down");
                }
                targetBeforeWinch = null;
                targetWorkers = number.intValue();
                LOG.info("Number of workers: {} (control socket)", targetWorkers);
                return ControlResponse.success(request.id(), status());
            default:
                return ControlResponse.failure(request.id(), "unknown-command",
                        "unknown command '" + request.command() + "' (this master knows: status, scale)");
        }
    }

    private MasterStatus status() {
        long now = System.nanoTime();
        List<MasterStatus.Worker> list = workers.values().stream()
                .sorted(Comparator.comparingLong(w -> w.age))
                .map(w -> new MasterStatus.Worker(w.pid, w.generation,
                        TimeUnit.NANOSECONDS.toSeconds(now - w.spawnedNanos),
                        w.state.name().toLowerCase(java.util.Locale.ROOT), w.requests,
                        TimeUnit.NANOSECONDS.toMillis(now - w.lastHeartbeatNanos)))
                .toList();
        String upgrade = newMaster != 0 ? "new-master-running" : oldMasterAlive() ? "old-master-running" : "none";
        return new MasterStatus(pid, Version.text(), TimeUnit.NANOSECONDS.toSeconds(now - startedNanos),
                settings().app().name(), current.listeners().stream().map(Listener::url).toList(),
                settings().configFile() == null ? "command line" : settings().configFile().toString(),
                pidFile == null ? null : pidFile.path().toString(), daemonized, settings().preload(),
                current.number(), upgrade, newMaster != 0 ? newMaster : oldMasterAlive() ? oldMaster : 0,
                targetWorkers, stopDeadlineNanos != null, list, lastReload);
    }

    // ---- signals: one small method per signal, as in Gunicorn's arbiter ----

    private void handleSignal(Signal signal) {
        if (signal == Signal.WINCH && !winchStopsWorkers()) {
            LOG.debug("Handling signal: winch"); // a terminal sends it on every resize
        } else if (signal != Signal.CHLD) {
            LOG.info("Handling signal: {}", signal.logName());
        }
        switch (signal) {
            case TERM, INT -> stop(false);
            case QUIT -> stop(true);
            case HUP -> handleHup();
            case TTIN -> handleTtin();
            case TTOU -> handleTtou();
            case USR1 -> handleUsr1();
            case USR2 -> handleUsr2();
            case WINCH -> handleWinch();
            case CHLD -> { } // reaping happens on every pass of the loop
        }
    }

    /**
     * Reload: read the configuration again and start a new generation of workers with it. The old
     * generation keeps serving until the new one accepts (see {@link #manageWorkers()}); if the new
     * configuration is invalid or its workers cannot boot, the old generation simply stays.
     */
    private void handleHup() {
        LOG.info("Hang up: Master");
        if (stopDeadlineNanos != null) {
            return;
        }
        reloads++;
        restoreTargetAfterWinch(); // HUP always brings back the workers a WINCH stopped
        if (newMaster != 0) {
            // Reverting an upgrade (the spec's first step): workers again, the configuration untouched.
            lastReload = new MasterStatus.Reload(reloads, true, true,
                    "workers started again without reloading the configuration (a new master exists)", current.number());
            LOG.info("New master (pid: {}) exists: starting {} workers again without reloading the configuration",
                    newMaster, targetWorkers);
            return;
        }
        if (previous != null) {
            // Signals coalesce anyway; a burst of HUPs must not start a generation per signal.
            reloadPending = true;
            LOG.info("Reload in progress (generation {} booting): reloading again once it serves", current.number());
            return;
        }
        Settings next;
        try {
            next = reloader.reload();
            if (settings().preload()) {
                // Preloaded workers serve the app the master copied; only USR2 loads new code.
                next = next.withApp(next.app().withSource(settings().app().source(), settings().app().classpath()));
                LOG.info("Preloaded app: HUP reloads the configuration, not the app code (USR2 loads new code)");
            }
            startGeneration(next);
        } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
            LOG.error("Reload failed, keeping the running configuration: {}", e.getMessage());
            lastReload = new MasterStatus.Reload(reloads, true, false, e.getMessage(), current.number());
            return;
        }
        lastReload = new MasterStatus.Reload(reloads, false, false, "generation " + current.number() + " booting",
                current.number());
        LOG.info("Reloading: generation {} with {} workers", current.number(), targetWorkers);
        systemd.reloading();
    }

    /** Opens the listeners of the new settings and makes them the current generation; the old one serves on. */
    private void startGeneration(Settings next) throws IOException {
        Settings now = settings();
        List<Listener> bound = listeners.openFor(next.binds(), next.backlog());
        for (Listener l : bound) {
            if (!current.listeners().contains(l)) {
                LOG.info("Listening at: {} ({})", l.url(), pid);
            }
        }
        Generation nextGeneration;
        try {
            nextGeneration = newGeneration(++generations, next, bound);
        } catch (IOException | RuntimeException e) {
            listeners.retainOnly(current.listeners(), !sharingSockets()); // the ones this reload opened
            throw e;
        }
        previous = current;
        previousTarget = targetWorkers;
        current = nextGeneration;
        if (next.workers() != now.workers()) {
            targetWorkers = next.workers(); // else a count changed by TTIN/TTOU survives the reload
        }
        failuresInARow = 0;
        if (!next.errorLog().equals(now.errorLog()) || !next.logLevel().equals(now.logLevel())
                || !java.util.Objects.equals(next.accessLog(), now.accessLog())) {
            Logging.configure(new LogSettings(next.errorLog(), next.accessLog(), next.logLevel()));
        }
        if (next.pidFile() != null && !next.pidFile().equals(now.pidFile())) {
            LOG.warn("The pidfile stays {}: a running master cannot move it (restart or upgrade to change it)",
                    now.pidFile());
        }
    }

    /**
     * WINCH gracefully stops every worker of a daemonized master, which keeps its sockets; HUP brings
     * workers back. A master in the foreground ignores it: terminals send WINCH on every resize.
     */
    private void handleWinch() {
        if (!winchStopsWorkers()) {
            LOG.debug("SIGWINCH ignored. Not daemonized");
            return;
        }
        if (targetBeforeWinch == null) {
            targetBeforeWinch = targetWorkers;
        }
        targetWorkers = 0;
        LOG.info("Stopping the workers gracefully (WINCH); the master keeps its sockets, HUP starts workers again");
    }

    /**
     * USR2: the binary upgrade of the spec. Rename the pidfile to PIDFILE.oldbin and start a new master
     * from the launcher on disk, which inherits the listeners and writes PIDFILE. Both serve until the
     * operator sends WINCH and QUIT here (done) or HUP here and QUIT there (reverted).
     */
    private void handleUsr2() {
        if (stopDeadlineNanos != null) {
            return;
        }
        if (newMaster != 0) {
            LOG.warn("USR2 signal ignored. Child exists.");
            return;
        }
        if (oldMasterAlive()) {
            LOG.warn("USR2 signal ignored. Parent exists.");
            return;
        }
        PidFile original = pidFile;
        try {
            if (pidFile != null) {
                PidFile renamed = pidFile.renameIfOwnedBy(pid, Path.of(pidFile.path() + ".oldbin"));
                pidFile = renamed != null ? renamed : pidFile;
            }
            Map<String, Listener> handed = new LinkedHashMap<>();
            listeners.bound().forEach((bind, l) -> {
                if (current.listeners().contains(l)) {
                    handed.put(bind, l);
                }
            });
            newMaster = upgrader.start(handed, daemonized, settings().errorLog(), sessions.path());
            LOG.info("Upgrading: started a new master (pid: {}); this master serves on until told otherwise", newMaster);
        } catch (IOException e) {
            LOG.error("Upgrade failed, this master keeps serving: {}", e.getMessage());
            pidFile = restorePidFile(original);
        }
    }

    /** When daemonized (as started, whatever a reload says since), or after a USR2 started a new master. */
    private boolean winchStopsWorkers() {
        return daemonized || newMaster != 0;
    }

    /** After an upgrade ends without us handing over, PIDFILE names this master again. */
    private PidFile restorePidFile(PidFile original) {
        if (pidFile == null || original == null || pidFile.equals(original)) {
            return pidFile;
        }
        try {
            PidFile back = pidFile.renameIfOwnedBy(pid, original.path());
            if (back != null) {
                LOG.info("Renamed {} back to {}", pidFile.path(), original.path());
                return back;
            }
        } catch (IOException e) {
            LOG.error("Cannot rename {} back to {}: {}", pidFile.path(), original.path(), e.getMessage());
        }
        return pidFile;
    }

    private boolean oldMasterAlive() {
        return oldMaster != 0 && Master.isGunicornMaster(oldMaster);
    }

    /** True while another master serves on the same sockets (an upgrade in progress). */
    private boolean sharingSockets() {
        return newMaster != 0 || oldMasterAlive();
    }

    private void restoreTargetAfterWinch() {
        if (targetBeforeWinch != null) {
            targetWorkers = targetBeforeWinch;
            targetBeforeWinch = null;
        }
    }

    private void handleTtin() {
        if (stopDeadlineNanos != null) {
            return;
        }
        targetBeforeWinch = null;
        targetWorkers++;
        LOG.info("Number of workers: {} (TTIN)", targetWorkers);
    }

    private void handleTtou() {
        if (stopDeadlineNanos != null) {
            return;
        }
        if (targetWorkers <= 1) {
            LOG.info("Number of workers stays at {}: TTOU never goes below one worker", targetWorkers);
            return;
        }
        targetWorkers--;
        LOG.info("Number of workers: {} (TTOU)", targetWorkers);
    }

    private void handleUsr1() {
        Logging.reopen();
        LOG.info("Reopened log files");
        for (WorkerRecord w : workers.values()) {
            posix.kill(w.pid, Signal.USR1.number());
        }
    }

    /** Starts a quick (TERM to workers) or graceful (QUIT to workers) shutdown. */
    private void stop(boolean graceful) {
        long limit = graceful ? settings().gracefulTimeoutSeconds() * 1000L + GRACE_MARGIN_MILLIS : QUICK_STOP_MILLIS;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit);
        if (stopDeadlineNanos != null) {
            // A second stop may only make the shutdown quicker.
            if (graceful || deadline - stopDeadlineNanos >= 0) {
                return;
            }
        }
        if (stopDeadlineNanos == null) {
            cdsTrainer.stop();
            closeListeners();
            if (newMaster == 0) {
                systemd.stopping(); // an old master leaving after an upgrade is no stop of the service
            }
        }
        stopDeadlineNanos = deadline;
        Signal toWorkers = graceful ? Signal.QUIT : Signal.TERM;
        for (WorkerRecord w : workers.values()) {
            w.state = WorkerRecord.State.STOPPING;
            posix.kill(w.pid, toWorkers.number());
        }
    }

    /**
     * A stopping server accepts nothing new: once the workers have closed their copies too, the kernel
     * refuses new connections instead of queueing them for a process that will never accept them.
     */
    private void closeListeners() {
        listeners.closeAll();
    }

    private void halt(String reason, int code) {
        LOG.error("Shutting down: {}", reason);
        exitCode = code;
        daemon.failed(code, reason);
        stop(false);
    }

    // ---- worker messages ----

    private void handleWorkerMessage(int workerPid, WorkerMessage message) {
        WorkerRecord w = workers.get(workerPid);
        if (w == null) {
            return;
        }
        w.lastHeartbeatNanos = System.nanoTime();
        if (message instanceof WorkerMessage.Ready) {
            if (w.state == WorkerRecord.State.BOOTING) {
                w.state = WorkerRecord.State.READY;
                w.readyNanos = System.nanoTime();
                if (w.generation == current.number()) {
                    currentEverReady = true;
                }
                LOG.debug("Worker (pid:{}) of generation {} is accepting (booted in {} ms)", workerPid, w.generation,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - w.spawnedNanos));
            }
        } else if (message instanceof WorkerMessage.Heartbeat hb) {
            w.requests = hb.requests();
        } else if (message instanceof WorkerMessage.Recycle recycle) {
            if (!w.recycle && w.state == WorkerRecord.State.READY) {
                w.recycle = true;
                LOG.info("Worker (pid:{}) served {} requests (--max-requests); replacing it", w.pid, recycle.requests());
            }
        } else if (message instanceof WorkerMessage.BootFailed failed) {
            w.bootFailure = failed.reason();
        }
    }

    // ---- housekeeping ----

    private void reapNewMaster() {
        if (newMaster == 0) {
            return;
        }
        Optional<ExitStatus> status = posix.reap(newMaster);
        if (status.isEmpty()) {
            return;
        }
        if (status.get().code() == 0) {
            LOG.info("New master (pid: {}) exited; this master is the master again", newMaster);
        } else {
            LOG.error("New master (pid: {}) exited ({}): the upgrade failed (its reason is logged above);"
                    + " this master keeps serving", newMaster, status.get());
        }
        newMaster = 0;
        restoreTargetAfterWinch(); // the workers a WINCH stopped for the upgrade serve again
        if (settings().pidFile() != null) {
            pidFile = restorePidFile(new PidFile(settings().pidFile()));
        }
        systemd.ready(serving()); // the main process again
    }

    private void reapWorkers() {
        reapNewMaster();
        cdsTrainer.reap();
        for (WorkerRecord w : new ArrayList<>(workers.values())) {
            Optional<ExitStatus> status = posix.reap(w.pid);
            if (status.isEmpty()) {
                continue;
            }
            workers.remove(w.pid);
            posix.close(w.lifelineFd);
            reportExit(w, status.get());
        }
        stager.retainOnly(generationsInUse()); // a generation's unpacked WAR goes with its last worker
    }

    private void reportExit(WorkerRecord w, ExitStatus status) {
        if (w.state == WorkerRecord.State.STOPPING) {
            LOG.debug("Worker (pid:{}) stopped: {}", w.pid, status);
            return;
        }
        if (w.bootFailure != null
                || (w.state == WorkerRecord.State.BOOTING && !status.killedBySignal() && status.code() != 0)) {
            String reason = w.bootFailure != null ? w.bootFailure : "the worker JVM exited with code " + status.code()
                    + " before it was ready (see its output above)";
            LOG.error("Worker (pid:{}) failed to boot: {}", w.pid, reason);
            bootFailed(w, status, reason);
            return;
        }
        if (status.killedBySignal()) {
            if (status.signal() == Signal.KILL_NUMBER) {
                LOG.error("Worker (pid:{}) was sent SIGKILL! Perhaps out of memory?", w.pid);
            } else {
                LOG.error("Worker (pid:{}) was sent signal {}!", w.pid, status.signal());
            }
        } else if (status.code() == 0) {
            LOG.info("Worker (pid:{}) exited", w.pid);
        } else {
            LOG.error("Worker (pid:{}) exited with code {}", w.pid, status.code());
        }
        if (w.readyNanos != 0 && System.nanoTime() - w.readyNanos < TimeUnit.MILLISECONDS.toNanos(CRASH_WINDOW_MILLIS)
                && w.generation == current.number()) {
            backOff("worker (pid:" + w.pid + ") died " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - w.readyNanos)
                    + " ms after it started accepting");
        }
    }

    /**
     * Crash loops: each failure in a row doubles the wait before the next spawn (1 s up to 30 s), with
     * one log line per step, so a broken app never spins the CPU or fills the disk.
     */
    private void backOff(String what) {
        failuresInARow++;
        long delay = Math.min(30_000L, 1000L << Math.min(failuresInARow - 1, 5));
        nextSpawnNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        LOG.error("Crash loop: {}; next worker in {} ms ({} failures in a row)", what, delay, failuresInARow);
    }

    /**
     * A worker that cannot boot: during a reload the new generation is abandoned and the old one keeps
     * serving; at start-up the master stops (Gunicorn's "Worker failed to boot."), rather than respawn
     * forever; in a generation that has served before (a crash after the jar on disk broke), spawning
     * backs off.
     */
    private void bootFailed(WorkerRecord w, ExitStatus status, String reason) {
        if (w.generation != current.number()) {
            return; // an abandoned generation; nothing to decide
        }
        if (previous != null) {
            abandonNewGeneration("cannot boot: " + reason);
            return;
        }
        if (!currentEverReady) {
            boolean appError = status.code() == ExitCodes.APP_LOAD_ERROR;
            halt(appError ? "App failed to load." : "Worker failed to boot.",
                    appError ? ExitCodes.APP_LOAD_ERROR : ExitCodes.WORKER_BOOT_ERROR);
            return;
        }
        backOff("worker (pid:" + w.pid + ") failed to boot");
    }

    private void reloadAgainIfAsked() {
        if (reloadPending) {
            reloadPending = false;
            handleHup();
        }
    }

    /** Gives up a reload in progress: its workers stop, the previous generation stays current. */
    private void abandonNewGeneration(String why) {
        LOG.error("Reload failed, generation {} keeps serving: generation {} {}", previous.number(),
                current.number(), why);
        lastReload = new MasterStatus.Reload(reloads, true, false,
                "generation " + current.number() + " " + why + "; generation " + previous.number() + " keeps serving",
                previous.number());
        for (WorkerRecord w : workers.values()) {
            if (w.generation == current.number() && w.state != WorkerRecord.State.STOPPING) {
                w.state = WorkerRecord.State.STOPPING;
                posix.kill(w.pid, Signal.TERM.number());
            }
        }
        listeners.retainOnly(previous.listeners(), !sharingSockets());
        current = previous;
        previous = null;
        targetWorkers = previousTarget;
        currentEverReady = true;
        systemd.ready(serving());
        reloadAgainIfAsked();
    }

    /**
     * A worker that sent nothing for longer than --timeout has stopped making progress: take a thread
     * dump (on a helper thread, since the JVM may not answer) and kill it when the dump is in.
     */
    private void murderSilentWorkers() {
        long now = System.nanoTime();
        for (WorkerRecord w : workers.values()) {
            if (w.killAtNanos != 0 && w.timedOut && now - w.killAtNanos >= 0) {
                posix.kill(w.pid, Signal.KILL_NUMBER); // the thread dump never came back
                continue;
            }
            if (w.timedOut || w.state == WorkerRecord.State.STOPPING) {
                continue;
            }
            if (w.state == WorkerRecord.State.BOOTING
                    && now - w.spawnedNanos > TimeUnit.SECONDS.toNanos(settings().bootTimeoutSeconds())) {
                w.bootFailure = "not accepting " + settings().bootTimeoutSeconds() + " s after it was started"
                        + " (--boot-timeout)";
                LOG.fatal("Worker (pid:{}) is {}; killing it", w.pid, w.bootFailure);
                killAfterThreadDump(w, now);
            } else if (settings().timeoutSeconds() > 0
                    && now - w.lastHeartbeatNanos > TimeUnit.SECONDS.toNanos(settings().timeoutSeconds())) {
                LOG.fatal("WORKER TIMEOUT (pid:{})", w.pid);
                killAfterThreadDump(w, now);
            }
        }
    }

    /** A thread dump first (on a helper thread: the JVM may not answer), then SIGKILL when it is in. */
    private void killAfterThreadDump(WorkerRecord w, long now) {
        w.timedOut = true;
        w.killAtNanos = now + TimeUnit.MILLISECONDS.toNanos(2 * DUMP_LIMIT_MILLIS);
        ThreadDumper.start(w.pid, DUMP_LIMIT_MILLIS, dump -> events.add(new Event.ThreadDumpTaken(w.pid, dump)));
    }

    /** Workers retired gracefully (TTOU) that outlive the graceful timeout are killed. */
    private void killOverdueWorkers() {
        long now = System.nanoTime();
        for (WorkerRecord w : workers.values()) {
            if (w.state == WorkerRecord.State.STOPPING && w.killAtNanos != 0 && now - w.killAtNanos >= 0) {
                LOG.warn("Worker (pid:{}) did not stop within the graceful timeout; killing it", w.pid);
                posix.kill(w.pid, Signal.KILL_NUMBER);
                w.killAtNanos = 0;
            }
        }
    }

    private void killAll() {
        for (WorkerRecord w : workers.values()) {
            LOG.warn("Worker (pid:{}) still running at the shutdown deadline; killing it", w.pid);
            posix.kill(w.pid, Signal.KILL_NUMBER);
        }
        // Leave the deadline in the past: the next passes only reap.
        stopDeadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(3600);
    }

    /**
     * Brings the current generation to the target number of workers, retiring the oldest first, and
     * retires older generations only once the current one has that many workers accepting: readiness
     * before retirement, so that capacity never dips during a reload.
     */
    private void manageWorkers() {
        List<WorkerRecord> active = active(w -> w.generation == current.number());
        // A worker recycling after --max-requests gets one extra worker beside it, and is retired only
        // when, without it, the target number still accept; one at a time, so recycling is staggered.
        boolean recycling = active.stream().anyMatch(w -> w.recycle);
        int wanted = targetWorkers + (recycling && targetWorkers > 0 ? 1 : 0);
        if (active.size() < wanted && System.nanoTime() - nextSpawnNanos >= 0) {
            for (int i = active.size(); i < wanted; i++) {
                spawnWorker();
            }
        }
        for (int i = 0; i < active.size() - wanted; i++) {
            retire(active.get(i));
        }
        long ready = active.stream().filter(w -> w.state == WorkerRecord.State.READY).count();
        if (failuresInARow > 0 && active.stream().anyMatch(w -> w.readyNanos != 0
                && System.nanoTime() - w.readyNanos > TimeUnit.MILLISECONDS.toNanos(CRASH_WINDOW_MILLIS))) {
            LOG.info("Workers stay up again; spawning without delay");
            failuresInARow = 0;
        }
        if (recycling && active.size() <= wanted && ready - 1 >= targetWorkers) {
            retire(active.get(0)); // the oldest recycling worker: active() sorts those first
            return;
        }
        List<WorkerRecord> older = active(w -> w.generation != current.number());
        if (!older.isEmpty() && ready >= targetWorkers) {
            older.forEach(this::retire);
        }
        if (previous != null && older.isEmpty() && ready >= Math.min(1, targetWorkers)) {
            LOG.info("Generation {} is serving; generation {} retired", current.number(), previous.number());
            for (Listener l : listeners.retainOnly(current.listeners(), !sharingSockets())) {
                LOG.info("Closed listener {} (no longer bound)", l.url());
            }
            previous = null;
            systemd.ready(serving());
            if (lastReload != null && !lastReload.done()) {
                lastReload = new MasterStatus.Reload(lastReload.sequence(), true, true,
                        "generation " + current.number() + " serving", current.number());
            }
            reloadAgainIfAsked();
        }
        if (!announcedReady && ready >= targetWorkers) {
            announcedReady = true;
            daemon.ready();
            systemd.ready(serving());
        }
        if (previous == null && ready >= targetWorkers) {
            // Only once the generation serves: the training run must not slow the workers' own start.
            current.cds().ifPresent(archive -> cdsTrainer.trainIfMissing(settings(), current.app(), current.number(), archive));
        }
    }

    private String serving() {
        return "Serving " + settings().app().name() + " with " + targetWorkers + " workers (generation " + current.number() + ")";
    }

    private List<WorkerRecord> active(java.util.function.Predicate<WorkerRecord> which) {
        return workers.values().stream()
                .filter(w -> w.state != WorkerRecord.State.STOPPING)
                .filter(which)
                .sorted(Comparator.comparing((WorkerRecord w) -> !w.recycle).thenComparingLong(w -> w.age))
                .toList();
    }

    private void retire(WorkerRecord w) {
        w.state = WorkerRecord.State.STOPPING;
        w.killAtNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings().gracefulTimeoutSeconds())
                + TimeUnit.MILLISECONDS.toNanos(GRACE_MARGIN_MILLIS);
        posix.kill(w.pid, Signal.QUIT.number());
    }

    private void spawnWorker() {
        SpawnedWorker spawned;
        try {
            spawned = launcher.spawn(settings(), current.listeners(), current.argFile(),
                    current.cds().filter(CdsArchive::exists).map(CdsArchive::file));
        } catch (IOException e) {
            halt(e.getMessage(), ExitCodes.WORKER_BOOT_ERROR);
            return;
        }
        WorkerRecord w = new WorkerRecord(spawned.pid(), ++spawnCount, current.number(), System.nanoTime(),
                spawned.lifelineFd());
        workers.put(w.pid, w);
        startPipeReader(spawned);
    }

    /** One thread per worker turns its status pipe into events; EOF means the worker is gone. */
    private void startPipeReader(SpawnedWorker spawned) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(spawned.status(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    WorkerMessage.parse(line).ifPresent(m -> events.add(new Event.WorkerSaid(spawned.pid(), m)));
                }
            } catch (IOException ignored) {
                // Same as EOF.
            }
            events.add(new Event.WorkerPipeClosed(spawned.pid()));
        }, "worker-pipe-" + spawned.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** What the master removes on the way out. */
    public void cleanUp() {
        if (control != null) {
            control.close();
        }
        if (pidFile != null) {
            pidFile.removeIfOwnedBy(pid);
        }
        listeners.closeAll();
        if (!sharingSockets()) {
            listeners.unlinkAll(); // never under another master still serving on these paths
        }
        sessions.cleanUp(sharingSockets()); // the sessions too: the other master's workers use them
    }
}
