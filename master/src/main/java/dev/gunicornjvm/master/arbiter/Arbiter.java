package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.ControlResponse;
import dev.gunicornjvm.common.logging.Logging;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.ReceivedSignal;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.master.app.SessionDirectory;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.config.SettingsReloader;
import dev.gunicornjvm.master.control.ControlServer;
import dev.gunicornjvm.master.daemon.DaemonNotifier;
import dev.gunicornjvm.master.hooks.Hooks;
import dev.gunicornjvm.master.reload.DevReload;
import dev.gunicornjvm.master.socket.Listener;
import dev.gunicornjvm.master.socket.ListenerSet;
import dev.gunicornjvm.master.upgrade.NewMasterLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The master's brain, after Gunicorn's arbiter: one thread owns all state. Each pass of the loop
 * handles the queued events (signals, worker messages, control requests), then keeps house: reap
 * exited workers, kill stuck ones ({@link Watchdog}), and bring the number of workers back to the
 * target ({@link Workforce}). Signals coalesce, so every decision is made from the state, never from
 * counts. What the arbiter does to processes goes through {@link Processes}, and time through
 * {@link Clock}, so that its sequences are unit-tested with fakes.
 */
public final class Arbiter implements Workforce.Decisions {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    static final long LOOP_TICK_MILLIS = 200;
    /** How long workers get to exit after TERM before they are killed (quick shutdown). */
    static final long QUICK_STOP_MILLIS = 1000;

    private final Outside outside;
    private final Clock clock;
    private final StartupSettings startup;
    private final UpgradeState upgrade;
    private final int pid;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Workforce workforce;
    private final Watchdog watchdog;
    private final ControlCommands commands;
    private final DevReload devReload = new DevReload(changed -> events.add(new Event.FilesChanged(changed)));
    private final WorkersGauge workersGauge = new WorkersGauge();
    private final MetricsFeed metrics;
    private ControlServer control;
    /** Non-null once shutting down: the nanos at which whatever is left gets SIGKILL. */
    private Long stopDeadlineNanos;
    private int exitCode = ExitCodes.OK;

    /** @throws IOException when the first generation cannot be staged or its argfile written */
    public Arbiter(Posix posix, Settings settings, ListenerSet listeners, List<Listener> bound, Path runtimeDir,
                   SessionDirectory sessions, SettingsReloader reloader, DaemonNotifier daemon,
                   NewMasterLauncher upgrader, int oldMaster, Hooks hooks) throws IOException {
        this(Outside.real(posix, settings, listeners, runtimeDir, sessions, reloader, daemon, upgrader, hooks), settings,
                bound, posix.pid(), new UpgradeState(posix.pid(), oldMaster, settings.pidFile()));
    }

    Arbiter(Outside outside, Settings settings, List<Listener> bound, int pid, UpgradeState upgrade) throws IOException {
        this.outside = outside;
        this.clock = outside.clock();
        this.startup = StartupSettings.of(settings);
        this.upgrade = upgrade;
        this.pid = pid;
        this.workforce = new Workforce(outside, outside.files().create(1, settings, bound), upgrade, startup,
                events::add, this, pid);
        this.watchdog = new Watchdog(clock, outside.processes(), events::add, outside.hooks());
        this.commands = new ControlCommands(pid, startup, upgrade, workforce, clock, this::stopping);
        this.metrics = new MetricsFeed(settings.metrics(), clock);
    }

    /** Called by the signal thread. */
    public void signalled(ReceivedSignal signal) {
        events.add(new Event.SignalReceived(signal));
    }

    /** Called by the control server's threads: the answer is completed on the arbiter's thread. */
    void controlled(ControlRequest request, CompletableFuture<ControlResponse> answer) {
        events.add(new Event.ControlCall(request, answer));
    }

    /** Runs until the master has stopped; returns the exit code. */
    public int run() {
        startControlServer();
        metrics.start();
        while (pass(LOOP_TICK_MILLIS)) {
            // Every pass handles events, then keeps house.
        }
        LOG.info("Shutting down: Master");
        outside.hooks().onExit();
        return exitCode;
    }

    /** One pass of the loop: the events that arrive within {@code waitMillis}, then housekeeping. False once stopped. */
    boolean pass(long waitMillis) {
        boolean more = turn(waitMillis);
        metrics.passEnded(workforce, upgrade, stopping());
        return more;
    }

    private boolean turn(long waitMillis) {
        handleEvents(waitMillis);
        try {
            upgrade.reapNewMaster(outside.processes()).ifPresent(status -> {
                workforce.count().restoreAfterWinch(); // the workers a WINCH stopped for the upgrade serve again
                outside.systemd().ready(workforce.reloads().serving()); // the main process again
            });
            outside.cdsTrainer().reap();
            metrics.exited(workforce.reap());
            if (stopping()) {
                if (workforce.workers().isEmpty()) {
                    return false;
                }
                if (clock.nanos() - stopDeadlineNanos >= 0) {
                    workforce.killAll();
                    stopDeadlineNanos = clock.nanos() + TimeUnit.HOURS.toNanos(1); // the next passes only reap
                }
                return true;
            }
            watchdog.check(workforce.workers(), settings());
            workforce.manage();
            devReload.follow(settings()); // a reload may have changed what --reload watches
            workersGauge.report(workforce.workers());
        } catch (RuntimeException e) {
            // A bug or an OS error in housekeeping must not take the master, and every worker, down.
            LOG.error("Error in the master's housekeeping (retrying on the next pass): {}", e, e);
        }
        return true;
    }

    private void handleEvents(long waitMillis) {
        try {
            Event event = events.poll(waitMillis, TimeUnit.MILLISECONDS);
            while (event != null) {
                try {
                    handle(event);
                } catch (RuntimeException e) {
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
            Signal.ofNumber(s.signal().number()).ifPresentOrElse(this::handleSignal,
                    () -> LOG.warn("Ignoring unknown signal: {}", s.signal().number()));
        } else if (event instanceof Event.WorkerSaid said) {
            if (said.message() instanceof dev.gunicornjvm.common.pipe.WorkerMessage.Metrics m) {
                metrics.said(workforce.workers(), said.pid(), m); // no heartbeat: one came just before it
            } else {
                workforce.said(said.pid(), said.message());
            }
        } else if (event instanceof Event.WorkerFaulty faulty) {
            workforce.faulty(faulty.pid(), faulty.why());
        } else if (event instanceof Event.ControlCall call) {
            call.answer().complete(commands.answer(call.request()));
        } else if (event instanceof Event.FilesChanged changed && !stopping()) {
            DevReload.log(changed.paths());
            workforce.reloads().hup();
        } else if (event instanceof Event.ThreadDumpTaken dump) {
            watchdog.dumpTaken(workforce.workers(), dump);
        }
        // WorkerPipeClosed needs no action: the exit itself is seen by reaping.
    }

    private void startControlServer() {
        Path directory = startup.controlDirectory();
        if (directory == null) {
            return;
        }
        try {
            control = ControlServer.start(directory, pid, startup.workerUid(), this::controlled);
            LOG.debug("Control socket at {}", control.socket());
        } catch (IOException e) {
            LOG.error("No control socket (gunictl will only send signals): cannot listen in {}: {}", directory, e.getMessage());
        }
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
            case HUP -> {
                LOG.info("Hang up: Master");
                if (!stopping()) {
                    workforce.reloads().hup();
                }
            }
            case TTIN -> {
                if (!stopping()) {
                    workforce.count().ttin();
                }
            }
            case TTOU -> {
                if (!stopping()) {
                    workforce.count().ttou();
                }
            }
            case USR1 -> {
                Logging.reopen();
                LOG.info("Reopened log files");
                workforce.signalAll(Signal.USR1);
            }
            case USR2 -> usr2();
            case WINCH -> winch();
            case CHLD -> { } // reaping happens on every pass of the loop
        }
    }

    /**
     * WINCH gracefully stops every worker of a daemonized master, which keeps its sockets; HUP brings
     * workers back. A master in the foreground ignores it: terminals send WINCH on every resize.
     */
    private void winch() {
        if (!winchStopsWorkers()) {
            LOG.debug("SIGWINCH ignored. Not daemonized");
            return;
        }
        workforce.count().winch();
        LOG.info("Stopping the workers gracefully (WINCH); the master keeps its sockets, HUP starts workers again");
    }

    /** When daemonized (as started), or after a USR2 started a new master. */
    private boolean winchStopsWorkers() {
        return startup.daemon() || upgrade.hasNewMaster();
    }

    /**
     * USR2: the binary upgrade of the spec. Rename the pidfile to PIDFILE.oldbin and start a new master
     * from the launcher on disk, which inherits the listeners and writes PIDFILE. Both serve until the
     * operator sends WINCH and QUIT here (done) or HUP here and QUIT there (reverted).
     */
    private void usr2() {
        if (!stopping()) {
            upgrade.startNewMaster(outside.upgrader(), outside.listeners().bound(), workforce.current(), settings());
        }
    }

    /** Starts a quick (TERM to workers) or graceful (QUIT to workers) shutdown. */
    private void stop(boolean graceful) {
        long limit = graceful ? settings().gracefulTimeoutSeconds() * 1000L + Workforce.GRACE_MARGIN_MILLIS
                : QUICK_STOP_MILLIS;
        long deadline = clock.nanos() + TimeUnit.MILLISECONDS.toNanos(limit);
        if (stopping() && (graceful || deadline - stopDeadlineNanos >= 0)) {
            return; // a second stop may only make the shutdown quicker
        }
        if (!stopping()) {
            outside.cdsTrainer().stop();
            // Accept nothing new: once the workers have closed their copies too, the kernel refuses new
            // connections instead of queueing them for a process that will never accept them.
            outside.listeners().closeAll();
            if (!upgrade.hasNewMaster()) {
                outside.systemd().stopping(); // an old master leaving after an upgrade is no stop of the service
            }
        }
        stopDeadlineNanos = deadline;
        workforce.stopAll(graceful ? Signal.QUIT : Signal.TERM);
    }

    @Override
    public void halt(String reason, int code) {
        LOG.error("Shutting down: {}", reason);
        exitCode = code;
        outside.daemon().failed(code, reason);
        stop(false);
    }

    private boolean stopping() {
        return stopDeadlineNanos != null;
    }

    private Settings settings() {
        return workforce.current().settings();
    }

    /** What the loop last published for --metrics-bind; for tests. */
    MetricsFeed metrics() {
        return metrics;
    }

    /** True while another master serves on the same sockets: shared files must stay. */
    public boolean sharingSockets() {
        return upgrade.sharingSockets();
    }

    /** What the master removes on the way out. */
    public void cleanUp() {
        devReload.close();
        if (control != null) {
            control.close();
        }
        metrics.close();
        upgrade.removePidFile();
        outside.listeners().closeAll();
        if (!upgrade.sharingSockets()) {
            outside.listeners().unlinkAll(); // never under another master still serving on these paths
        }
    }
}
