package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.common.signals.Signal;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Keeps the current generation at its number of workers, and of standbys beside them, and retires the
 * others: spawns, promotions, retirements, what workers say and how they end, and the two ends of a reload. Readiness before retirement: an
 * older generation is retired only once the current one has its workers accepting, so capacity never
 * dips. Decisions that end the master or start another reload go back to the arbiter.
 */
final class Workforce {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    /** Extra time the master gives workers past --graceful-timeout, so that one using all of it exits by itself. */
    static final long GRACE_MARGIN_MILLIS = 2000;

    /** What only the arbiter may decide. */
    interface Decisions {
        /** Stops the master with this exit code: the first generation cannot boot. */
        void halt(String reason, int code);
    }

    private final Outside outside;
    private final Processes processes;
    private final Clock clock;
    private final UpgradeState upgrade;
    private final Consumer<Event> events;
    private final Decisions arbiter;
    private final WorkerTable workers = new WorkerTable();
    private final Generations generations;
    private final WorkerCount count;
    private final CrashBackoff backoff;
    private final Reloads reloads;
    /** The generation whose files could not be made again: only spawns retry them. 0 for none. */
    private int filesFailedFor;
    /** The daemon's starting command is told once, when the first workers accept. */
    private boolean announcedReady;

    Workforce(Outside outside, Generation first, UpgradeState upgrade, StartupSettings startup, Consumer<Event> events,
              Decisions arbiter, int pid) {
        this.outside = outside;
        this.processes = outside.processes();
        this.clock = outside.clock();
        this.upgrade = upgrade;
        this.events = events;
        this.arbiter = arbiter;
        this.generations = new Generations(first);
        this.count = new WorkerCount(first.settings().workers());
        this.backoff = new CrashBackoff(clock);
        this.reloads = new Reloads(outside, generations, count, backoff, workers, upgrade, startup, pid);
    }

    Reloads reloads() {
        return reloads;
    }

    WorkerTable workers() {
        return workers;
    }

    Generations generations() {
        return generations;
    }

    WorkerCount count() {
        return count;
    }

    Generation current() {
        return generations.current();
    }

    // ---- what workers say, and how they end ----

    void said(int workerPid, WorkerMessage message) {
        workers.get(workerPid).ifPresent(w -> said(w, message));
    }

    private void said(WorkerRecord w, WorkerMessage message) {
        w.lastHeartbeatNanos = clock.nanos();
        if (message instanceof WorkerMessage.Ready && w.state == WorkerState.BOOTING && !w.standby) {
            w.ready(clock.nanos());
            generations.workerReady();
            outside.hooks().postWorkerInit(w.pid, w.generation, w.age);
            LOG.debug("Worker (pid:{}) of generation {} is accepting ({} in {} ms)", w.pid, w.generation,
                    w.bootingSinceNanos == w.spawnedNanos ? "booted" : "promoted",
                    TimeUnit.NANOSECONDS.toMillis(clock.nanos() - w.bootingSinceNanos));
        } else if (message instanceof WorkerMessage.Standby && w.state == WorkerState.BOOTING && w.standby) {
            w.state = WorkerState.STANDBY;
            LOG.debug("Standby worker (pid:{}) of generation {} is ready to be promoted (booted in {} ms)", w.pid,
                    w.generation, TimeUnit.NANOSECONDS.toMillis(clock.nanos() - w.spawnedNanos));
        } else if (message instanceof WorkerMessage.Heartbeat hb) {
            w.requests = hb.requests();
        } else if (message instanceof WorkerMessage.Recycle recycle && !w.recycle && w.state == WorkerState.READY) {
            w.recycle = true;
            LOG.info("Worker (pid:{}) served {} requests (--max-requests); replacing it", w.pid, recycle.requests());
        } else if (message instanceof WorkerMessage.BootFailed failed) {
            w.bootFailure = failed.reason();
        }
    }

    /** A worker that wrote garbage on its status pipe is replaced; a loop of them backs off like crashes. */
    void faulty(int workerPid, String why) {
        workers.get(workerPid).filter(w -> w.state != WorkerState.STOPPING).ifPresent(w -> {
            LOG.error("Worker (pid:{}) wrote {} on its status pipe; replacing it", w.pid, why);
            retire(w);
            backoff.failed("worker (pid:" + w.pid + ") is faulty");
        });
    }

    /** Reaps exited workers and removes the staged files no generation in use needs; returns the exits. */
    List<WorkerTable.Exit> reap() {
        List<WorkerTable.Exit> exits = workers.reap(processes);
        for (WorkerTable.Exit exit : exits) {
            exited(exit.worker(), exit.status());
        }
        Set<Integer> inUse = generations.inUse(workers);
        outside.cdsTrainer().generation().ifPresent(inUse::add);
        outside.files().retainOnly(inUse); // a generation's unpacked WAR goes with its last worker
        return exits;
    }

    private void exited(WorkerRecord w, ExitStatus status) {
        outside.hooks().workerExited(w.pid, w.generation, w.age, status);
        if (w.state == WorkerState.STOPPING) {
            LOG.debug("Worker (pid:{}) stopped: {}", w.pid, status);
        } else if (w.bootFailure != null
                || (w.state == WorkerState.BOOTING && !status.killedBySignal() && status.code() != 0)) {
            String reason = w.bootFailure != null ? w.bootFailure : "the worker JVM exited with code " + status.code()
                    + " before it was ready (see its output above)";
            LOG.error("Worker (pid:{}) failed to boot: {}", w.pid, reason);
            bootFailed(w, status, reason);
        } else {
            WorkerExits.log(w.pid, status);
            if (backoff.diedEarly(w) && w.generation == current().number()) {
                backoff.failed("worker (pid:" + w.pid + ") died " + TimeUnit.NANOSECONDS.toMillis(clock.nanos()
                        - w.readyNanos()) + " ms after it started accepting");
            }
        }
    }

    /**
     * A worker that cannot boot: during a reload the new generation is abandoned and the old one keeps
     * serving; at start-up the master stops (Gunicorn's "Worker failed to boot."), rather than respawn
     * forever; once the master has served (a crash after the jar on disk broke), spawning backs off.
     */
    private void bootFailed(WorkerRecord w, ExitStatus status, String reason) {
        if (w.generation != current().number()) {
            return; // an abandoned generation; nothing to decide
        }
        if (generations.reloading()) {
            reloads.abandon("cannot boot: " + reason);
        } else if (!generations.servedOnce()) {
            boolean appError = status.code() == ExitCodes.APP_LOAD_ERROR;
            arbiter.halt(appError ? "App failed to load." : "Worker failed to boot.",
                    appError ? ExitCodes.APP_LOAD_ERROR : ExitCodes.WORKER_BOOT_ERROR);
        } else {
            backoff.failed("worker (pid:" + w.pid + ") failed to boot");
        }
    }

    // ---- the number of workers ----

    /**
     * Brings the current generation to the target number of workers, promoting standbys before it
     * spawns, retiring the oldest first, and retires older generations only once the current one has
     * that many workers accepting. Standbys come last, once the generation serves.
     */
    void manage() {
        keepFilesOf(current());
        int target = count.target();
        outside.hooks().workersWanted(target);
        List<WorkerRecord> active = workers.active(w -> w.generation == current().number() && !w.standby);
        // A worker recycling after --max-requests gets one extra worker beside it, and is retired only
        // when, without it, the target number still accept; one at a time, so recycling is staggered.
        boolean recycling = active.stream().anyMatch(w -> w.recycle);
        int wanted = target + (recycling && target > 0 ? 1 : 0);
        for (int i = active.size(); i < wanted; i++) {
            if (promoteStandby()) {
                continue;
            }
            if (!backoff.maySpawn()) {
                break;
            }
            if (!spawn(false)) {
                return; // decided in spawn(): nothing else to do on this pass
            }
        }
        for (int i = 0; i < active.size() - wanted; i++) {
            retire(active.get(i));
        }
        long ready = active.stream().filter(w -> w.state == WorkerState.READY).count();
        backoff.checkRecovery(active);
        if (recycling && active.size() <= wanted && ready - 1 >= target) {
            retire(active.get(0)); // the oldest recycling worker: active() sorts those first
            return;
        }
        List<WorkerRecord> older = workers.active(w -> w.generation != current().number());
        if (!older.isEmpty() && ready >= target) {
            older.forEach(this::retire);
        }
        if (generations.reloading() && older.isEmpty() && ready >= Math.min(1, target)) {
            reloads.finish();
        }
        if (!announcedReady && ready >= target) {
            announcedReady = true;
            outside.daemon().ready();
            outside.systemd().ready(reloads.serving());
            outside.hooks().whenReady();
        }
        if (!generations.reloading() && ready >= target) {
            // Only once the generation serves: standbys and the training run must not slow its start.
            keepStandbys(target);
            current().cds().ifPresent(archive -> outside.cdsTrainer().trainIfMissing(current().settings(),
                    current().app(), current().number(), archive));
        }
    }

    /**
     * Keeps --standby booted workers beside a generation that serves (none while WINCH has stopped the
     * workers). Excess ones, after a TTOU or a HUP that lowered --standby, retire, the newest first.
     */
    private void keepStandbys(int target) {
        int wanted = target == 0 ? 0 : current().settings().standby();
        List<WorkerRecord> standbys = workers.active(w -> w.generation == current().number() && w.standby);
        for (int i = standbys.size(); i < wanted && backoff.maySpawn(); i++) {
            if (!spawn(true)) {
                return;
            }
        }
        for (int i = standbys.size() - 1; i >= wanted; i--) {
            retire(standbys.get(i));
        }
    }

    /** Tells the oldest parked standby of the current generation to accept; false if there is none. */
    private boolean promoteStandby() {
        for (WorkerRecord w : workers.active(x -> x.generation == current().number() && x.state == WorkerState.STANDBY)) {
            if (processes.promote(w.pid)) {
                w.promoted(clock.nanos());
                LOG.info("Promoted standby worker (pid: {})", w.pid);
                return true;
            }
            retire(w); // its lifeline is broken: it is dying anyway
        }
        return false;
    }

    /**
     * Makes the generation's files again as soon as something removed them: its running workers read
     * them too (a WAR's static files, classes loaded late), and so does a training run. After a failure
     * only spawns try again, under their back-off, so that a copy that cannot be remade (a --preload
     * snapshot) is not retried, and logged, on every pass of the loop.
     */
    private void keepFilesOf(Generation generation) {
        if (generation.number() == filesFailedFor) {
            return;
        }
        try {
            outside.files().ensure(generation);
        } catch (IOException e) {
            filesFailedFor = generation.number();
            LOG.debug("Generation {}'s files: {}", generation.number(), e.getMessage());
        }
    }

    /** Starts one worker (or standby) of the current generation; false if none could be started (decided here). */
    private boolean spawn(boolean standby) {
        Generation generation = current();
        try {
            outside.files().ensure(generation);
            filesFailedFor = 0;
            outside.hooks().preFork(generation.number());
            workers.add(processes.spawnWorker(generation, standby, events), generation.number(), clock.nanos(), standby);
            return true;
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage();
            if (generations.reloading()) {
                reloads.abandon("cannot start a worker: " + reason);
            } else if (!generations.servedOnce()) {
                arbiter.halt(reason, ExitCodes.WORKER_BOOT_ERROR); // only the first start may end the master
            } else {
                LOG.error("Cannot start a worker; the running ones serve on: {}", reason);
                backoff.failed("no worker could be started");
            }
            return false;
        }
    }

    /** Asks a worker to finish what it has and exit (QUIT), and kills it if it outlives its grace. */
    private void retire(WorkerRecord w) {
        w.state = WorkerState.STOPPING;
        w.killAt(clock.nanos() + TimeUnit.SECONDS.toNanos(current().settings().gracefulTimeoutSeconds())
                + TimeUnit.MILLISECONDS.toNanos(GRACE_MARGIN_MILLIS));
        processes.signal(w.pid, Signal.QUIT.number());
    }

    /** Every worker is told to stop: the master is shutting down. */
    void stopAll(Signal signal) {
        for (WorkerRecord w : workers.all()) {
            w.state = WorkerState.STOPPING;
            processes.signal(w.pid, signal.number());
        }
    }

    void killAll() {
        for (WorkerRecord w : workers.all()) {
            LOG.warn("Worker (pid:{}) still running at the shutdown deadline; killing it", w.pid);
            processes.signal(w.pid, Signal.KILL_NUMBER);
        }
    }

    void signalAll(Signal signal) {
        workers.all().forEach(w -> processes.signal(w.pid, signal.number()));
    }
}
