package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.logging.Logging;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.common.process.PidFile;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.common.signals.SignalReceiver;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.socket.BindAddress;
import dev.gunicornjvm.master.socket.Listener;
import dev.gunicornjvm.master.spawn.SpawnedWorker;
import dev.gunicornjvm.master.spawn.WorkerLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** How long a thread dump of a silent worker may take before the worker is killed anyway. */
    private static final long DUMP_LIMIT_MILLIS = 3000;

    private final Posix posix;
    private final Settings settings;
    private final List<Listener> listeners;
    private final WorkerLauncher launcher;
    private final Path runtimeDir;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Integer, WorkerRecord> workers = new LinkedHashMap<>();
    private final int pid;

    private int targetWorkers;
    private int generation = 1;
    private long spawnCount;
    private Path argFile;
    /** Non-null once shutting down: the nanos at which whatever is left gets SIGKILL. */
    private Long stopDeadlineNanos;
    private int exitCode = ExitCodes.OK;

    public Arbiter(Posix posix, Settings settings, List<Listener> listeners, Path runtimeDir) {
        this.posix = posix;
        this.settings = settings;
        this.listeners = List.copyOf(listeners);
        this.runtimeDir = runtimeDir;
        this.launcher = new WorkerLauncher(posix, runtimeDir);
        this.targetWorkers = settings.workers();
        this.pid = posix.pid();
    }

    /** Runs until the master has stopped; returns the exit code. */
    public int run() throws IOException {
        SignalReceiver.start(posix, s -> events.add(new Event.SignalReceived(s)));
        argFile = launcher.writeArgFile(settings, listeners, generation);
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
                handle(event);
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
        } else if (event instanceof Event.ThreadDumpTaken dump) {
            WorkerRecord w = workers.get(dump.pid());
            LOG.error("Thread dump of worker (pid:{}):\n{}", dump.pid(), dump.dump());
            if (w != null) {
                posix.kill(w.pid, Signal.KILL_NUMBER);
            }
        }
        // WorkerPipeClosed needs no action: the exit itself is seen by reaping.
    }

    // ---- signals: one small method per signal, as in Gunicorn's arbiter ----

    private void handleSignal(Signal signal) {
        if (signal != Signal.CHLD) {
            LOG.info("Handling signal: {}", signal.logName());
        }
        switch (signal) {
            case TERM, INT -> stop(false);
            case QUIT -> stop(true);
            case HUP -> handleHup();
            case TTIN -> handleTtin();
            case TTOU -> handleTtou();
            case USR1 -> handleUsr1();
            case USR2 -> LOG.warn("USR2 (binary upgrade) is not implemented yet; ignoring it");
            case WINCH -> LOG.debug("SIGWINCH ignored. Not daemonized");
            case CHLD -> { } // reaping happens on every pass of the loop
        }
    }

    private void handleHup() {
        LOG.info("Hang up: Master");
        LOG.warn("Reloading on HUP is not implemented yet; the current workers keep serving");
    }

    private void handleTtin() {
        if (stopDeadlineNanos != null) {
            return;
        }
        targetWorkers++;
        LOG.info("Number of workers: {} (TTIN)", targetWorkers);
    }

    private void handleTtou() {
        if (stopDeadlineNanos != null) {
            return;
        }
        if (targetWorkers <= 1) {
            LOG.info("Number of workers stays at 1: TTOU never goes below one worker");
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
        long limit = graceful ? settings.gracefulTimeoutSeconds() * 1000L + GRACE_MARGIN_MILLIS : QUICK_STOP_MILLIS;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit);
        if (stopDeadlineNanos != null) {
            // A second stop may only make the shutdown quicker.
            if (graceful || deadline - stopDeadlineNanos >= 0) {
                return;
            }
        }
        if (stopDeadlineNanos == null) {
            closeListeners();
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
        for (Listener l : listeners) {
            posix.close(l.fd());
        }
    }

    private void halt(String reason, int code) {
        LOG.error("Shutting down: {}", reason);
        exitCode = code;
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
                LOG.debug("Worker (pid:{}) is accepting", workerPid);
            }
        } else if (message instanceof WorkerMessage.Heartbeat hb) {
            w.requests = hb.requests();
        } else if (message instanceof WorkerMessage.BootFailed failed) {
            w.bootFailure = failed.reason();
        }
    }

    // ---- housekeeping ----

    private void reapWorkers() {
        for (WorkerRecord w : new ArrayList<>(workers.values())) {
            Optional<ExitStatus> status = posix.reap(w.pid);
            if (status.isEmpty()) {
                continue;
            }
            workers.remove(w.pid);
            posix.close(w.lifelineFd);
            reportExit(w, status.get());
        }
    }

    private void reportExit(WorkerRecord w, ExitStatus status) {
        if (w.state == WorkerRecord.State.STOPPING) {
            LOG.debug("Worker (pid:{}) stopped: {}", w.pid, status);
            return;
        }
        if (status.killedBySignal()) {
            if (status.signal() == Signal.KILL_NUMBER) {
                LOG.error("Worker (pid:{}) was sent SIGKILL! Perhaps out of memory?", w.pid);
            } else {
                LOG.error("Worker (pid:{}) was sent signal {}!", w.pid, status.signal());
            }
            return;
        }
        if (w.bootFailure != null || (w.state == WorkerRecord.State.BOOTING && status.code() != 0)) {
            String reason = w.bootFailure != null ? w.bootFailure : "the worker JVM exited with code " + status.code()
                    + " before it was ready (see its output above)";
            LOG.error("Worker (pid:{}) failed to boot: {}", w.pid, reason);
            boolean appError = status.code() == ExitCodes.APP_LOAD_ERROR;
            halt(appError ? "App failed to load." : "Worker failed to boot.",
                    appError ? ExitCodes.APP_LOAD_ERROR : ExitCodes.WORKER_BOOT_ERROR);
            return;
        }
        if (status.code() == 0) {
            LOG.info("Worker (pid:{}) exited", w.pid);
        } else {
            LOG.error("Worker (pid:{}) exited with code {}", w.pid, status.code());
        }
    }

    /**
     * A worker that sent nothing for longer than --timeout has stopped making progress: take a thread
     * dump (on a helper thread, since the JVM may not answer) and kill it when the dump is in.
     */
    private void murderSilentWorkers() {
        if (settings.timeoutSeconds() <= 0) {
            return;
        }
        long now = System.nanoTime();
        long limit = TimeUnit.SECONDS.toNanos(settings.timeoutSeconds());
        for (WorkerRecord w : workers.values()) {
            if (w.timedOut) {
                if (now - w.lastHeartbeatNanos > limit + TimeUnit.MILLISECONDS.toNanos(2 * DUMP_LIMIT_MILLIS)) {
                    posix.kill(w.pid, Signal.KILL_NUMBER); // the dump helper itself got stuck
                }
                continue;
            }
            if (now - w.lastHeartbeatNanos > limit) {
                w.timedOut = true;
                LOG.fatal("WORKER TIMEOUT (pid:{})", w.pid);
                ThreadDumper.start(w.pid, DUMP_LIMIT_MILLIS, dump -> events.add(new Event.ThreadDumpTaken(w.pid, dump)));
            }
        }
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

    /** Brings the number of workers that are not stopping to the target, retiring the oldest first. */
    private void manageWorkers() {
        List<WorkerRecord> active = workers.values().stream()
                .filter(w -> w.state != WorkerRecord.State.STOPPING)
                .sorted(Comparator.comparingLong(w -> w.age))
                .toList();
        for (int i = active.size(); i < targetWorkers; i++) {
            spawnWorker();
        }
        for (int i = 0; i < active.size() - targetWorkers; i++) {
            retire(active.get(i));
        }
    }

    private void retire(WorkerRecord w) {
        w.state = WorkerRecord.State.STOPPING;
        w.killAtNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.gracefulTimeoutSeconds());
        posix.kill(w.pid, Signal.QUIT.number());
    }

    private void spawnWorker() {
        SpawnedWorker spawned;
        try {
            spawned = launcher.spawn(settings, listeners, argFile);
        } catch (IOException e) {
            halt(e.getMessage(), ExitCodes.WORKER_BOOT_ERROR);
            return;
        }
        WorkerRecord w = new WorkerRecord(spawned.pid(), ++spawnCount, generation, System.nanoTime(), spawned.lifelineFd());
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
        if (settings.pidFile() != null) {
            new PidFile(settings.pidFile()).removeIfOwnedBy(pid);
        }
        for (Listener l : listeners) {
            if (l.address() instanceof BindAddress.Unix unix) {
                try {
                    Files.deleteIfExists(unix.path());
                } catch (IOException e) {
                    LOG.warn("Cannot remove {}: {}", unix.path(), e.getMessage());
                }
            }
        }
        deleteRecursively(runtimeDir);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Only our own temporary files; nothing to report.
        }
    }
}
