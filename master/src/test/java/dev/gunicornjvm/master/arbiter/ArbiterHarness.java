package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.ControlCommand;
import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.ReceivedSignal;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.master.app.SessionDirectory;
import dev.gunicornjvm.master.cds.CdsTrainer;
import dev.gunicornjvm.master.config.ConfigSources;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.config.TestServlet;
import dev.gunicornjvm.master.daemon.DaemonNotifier;
import dev.gunicornjvm.master.socket.ListenerSet;
import dev.gunicornjvm.master.spawn.WorkerLauncher;
import dev.gunicornjvm.master.systemd.SystemdNotifier;
import dev.gunicornjvm.master.hooks.Hooks;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real Arbiter with fake processes, files and time, driven one pass at a time: each sequence of
 * the spec (boot, reload, crash loop, WINCH, USR2 and revert) runs in milliseconds. Sockets are real
 * (127.0.0.1:0), since opening and closing them is part of what a reload does.
 */
final class ArbiterHarness implements AutoCloseable {
    static final int PID = 42;
    static final int NEW_MASTER = 999;

    final FakeClock clock = new FakeClock();
    final FakeProcesses processes = new FakeProcesses();
    final FakeGenerationFiles files;
    final ListenerSet listeners = new ListenerSet(Posix.get());
    /** What a HUP reads. */
    final AtomicReference<Settings> configuration = new AtomicReference<>();
    final AtomicInteger newMastersStarted = new AtomicInteger();
    final AtomicBoolean oldMasterAlive = new AtomicBoolean();
    final Arbiter arbiter;
    private boolean stopped;

    ArbiterHarness(Path dir, int oldMaster, String... args) throws IOException {
        files = new FakeGenerationFiles(dir);
        Settings settings = settings(args);
        configuration.set(settings);
        Posix posix = Posix.get();
        WorkerLauncher launcher = new WorkerLauncher(posix, dir, new SessionDirectory(posix, null, null));
        Outside outside = new Outside(clock, processes, files, listeners, configuration::get,
                (handed, now) -> {
                    newMastersStarted.incrementAndGet();
                    return NEW_MASTER;
                },
                new CdsTrainer(posix, launcher), DaemonNotifier.fromEnvironment(), SystemdNotifier.fromEnvironment(posix),
                Hooks.start(settings.hooks(), settings.app().classpath(), PID, settings.app().name(), settings.workers()));
        UpgradeState upgrade = new UpgradeState(PID, oldMaster, settings.pidFile(), oldMasterAlive::get);
        arbiter = new Arbiter(outside, settings, listeners.openFor(settings.binds(), settings.backlog(), settings.reusePort()), PID, upgrade);
    }

    /** Settings as the command line gives them, for the test servlet on an ephemeral port. */
    static Settings settings(String... args) {
        List<String> line = new ArrayList<>(List.of("-b", "127.0.0.1:0", "-cp", classes()));
        line.addAll(List.of(args));
        line.add(TestServlet.class.getName());
        return new ConfigSources(line, null).reload();
    }

    private static String classes() {
        try {
            return Path.of(TestServlet.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One pass of the loop, with whatever events are queued; false once the master has stopped. */
    boolean pass() {
        boolean running = arbiter.pass(0);
        stopped |= !running;
        return running;
    }

    /** A few passes: enough for a signal's effects and the reaping and spawning after them. */
    void settle() {
        for (int i = 0; i < 3 && !stopped; i++) {
            pass();
        }
    }

    boolean stopped() {
        return stopped;
    }

    void signal(Signal signal) {
        arbiter.signalled(new ReceivedSignal(signal.number(), 1));
        settle();
    }

    void advance(long seconds) {
        clock.advance(seconds, TimeUnit.SECONDS);
        settle();
    }

    /** Every worker spawned so far that has not exited says it is ready. */
    List<Integer> allReady(List<Integer> pids) {
        pids.forEach(processes::ready);
        settle();
        return pids;
    }

    MasterStatus status() {
        CompletableFuture<dev.gunicornjvm.common.control.ControlResponse> answer = new CompletableFuture<>();
        arbiter.controlled(ControlRequest.of("t", ControlCommand.STATUS, Map.of()), answer);
        pass();
        return answer.join().status();
    }

    @Override
    public void close() {
        listeners.closeAll();
    }
}
