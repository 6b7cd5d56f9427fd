package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.common.logging.Logging;
import dev.gunicornjvm.common.statsd.Statsd;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.hooks.Hooks;
import dev.gunicornjvm.master.socket.Listener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * HUP: read the configuration again and start a new generation of workers with it. The old generation
 * keeps serving until the new one accepts ({@link #finish()}, called by {@link Workforce}); if the new
 * configuration is invalid or its workers cannot boot ({@link #abandon(String)}), the old generation
 * simply stays. While a new master of an upgrade exists, HUP only brings workers back (the revert).
 */
final class Reloads {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final Outside outside;
    private final Generations generations;
    private final WorkerCount count;
    private final CrashBackoff backoff;
    private final WorkerTable workers;
    private final UpgradeState upgrade;
    private final StartupSettings startup;
    private final int pid;

    Reloads(Outside outside, Generations generations, WorkerCount count, CrashBackoff backoff, WorkerTable workers,
            UpgradeState upgrade, StartupSettings startup, int pid) {
        this.outside = outside;
        this.generations = generations;
        this.count = count;
        this.backoff = backoff;
        this.workers = workers;
        this.upgrade = upgrade;
        this.startup = startup;
        this.pid = pid;
    }

    void hup() {
        generations.hup();
        count.restoreAfterWinch(); // HUP always brings back the workers a WINCH stopped
        if (upgrade.hasNewMaster()) {
            // Reverting an upgrade (the spec's first step): workers again, the configuration untouched.
            generations.reloadAnswered("workers started again without reloading the configuration (a new master exists)");
            LOG.info("New master (pid: {}) exists: starting {} workers again without reloading the configuration",
                    upgrade.newMaster(), count.target());
            return;
        }
        if (generations.reloading()) {
            generations.reloadAgainLater(); // a burst of HUPs must not start a generation per signal
            LOG.info("Reload in progress (generation {} booting): reloading again once it serves", current().number());
            return;
        }
        try {
            Settings next = nextSettings();
            Hooks.Loaded hooks = Hooks.load(next.hooks(), next.app().classpath());
            startGeneration(next);
            outside.hooks().reloaded(hooks, current().number());
            startup.warnIfChanged(next);
        } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
            LOG.error("Reload failed, keeping the running configuration: {}", e.getMessage());
            generations.reloadRefused(e.getMessage());
            return;
        }
        LOG.info("Reloading: generation {} with {} workers", current().number(), count.target());
        outside.systemd().reloading();
    }

    private Settings nextSettings() {
        Settings now = current().settings();
        Settings next = outside.reloader().reload();
        if (!now.preload()) {
            return next;
        }
        // Preloaded workers serve the app the master copied; only USR2 loads new code.
        LOG.info("Preloaded app: HUP reloads the configuration, not the app code (USR2 loads new code)");
        return next.withApp(next.app().withSource(now.app().source(), now.app().classpath()));
    }

    /** Opens the listeners of the new settings and makes them the current generation; the old one serves on. */
    private void startGeneration(Settings next) throws IOException {
        Settings now = current().settings();
        List<Listener> bound = outside.listeners().openFor(next.binds(), next.backlog(), next.reusePort());
        Generation generation;
        try {
            generation = outside.files().create(generations.nextNumber(), next, bound);
        } catch (IOException | RuntimeException e) {
            closeListenersBut(current()); // the ones this reload opened: no port stays bound without an acceptor
            throw e;
        }
        bound.stream().filter(l -> !current().listeners().contains(l))
                .forEach(l -> LOG.info("Listening at: {} ({})", l.url(), pid));
        generations.begin(generation, count.target());
        if (next.workers() != now.workers()) {
            count.set(next.workers()); // else a count changed by TTIN/TTOU survives the reload
        }
        backoff.reset();
        if (!next.errorLog().equals(now.errorLog()) || !next.logLevel().equals(now.logLevel())
                || !Objects.equals(next.accessLog(), now.accessLog())) {
            Logging.configure(new LogSettings(next.errorLog(), next.accessLog(), next.logLevel()));
        }
        Statsd.configure(next.requestLog().statsd()); // nothing happens when it is unchanged
    }

    /** The new generation serves: the old one's listeners that the new settings dropped close. */
    void finish() {
        Generation retired = generations.finishReload();
        LOG.info("Generation {} is serving; generation {} retired", current().number(), retired.number());
        ended();
    }

    /** Gives up a reload in progress: its workers stop, the previous generation stays current. */
    void abandon(String why) {
        Generation failed = current();
        LOG.error("Reload failed, generation {} keeps serving: generation {} {}",
                generations.previous().orElseThrow().number(), failed.number(), why);
        count.set(generations.abandonReload(why));
        for (WorkerRecord w : workers.active(x -> x.generation == failed.number())) {
            w.state = WorkerState.STOPPING;
            outside.processes().signal(w.pid, Signal.TERM.number());
        }
        ended();
    }

    private void ended() {
        closeListenersBut(current());
        outside.systemd().ready(serving());
        if (generations.takePendingReload()) {
            hup();
        }
    }

    private void closeListenersBut(Generation keep) {
        for (Listener l : outside.listeners().retainOnly(keep.listeners(), !upgrade.sharingSockets())) {
            LOG.info("Closed listener {} (no longer bound)", l.url());
        }
    }

    String serving() {
        return "Serving " + current().settings().app().name() + " with " + count.target() + " workers (generation "
                + current().number() + ")";
    }

    private Generation current() {
        return generations.current();
    }
}
