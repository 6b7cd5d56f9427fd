package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.master.app.SessionDirectory;
import dev.gunicornjvm.master.cds.CdsTrainer;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.config.SettingsReloader;
import dev.gunicornjvm.master.daemon.DaemonNotifier;
import dev.gunicornjvm.master.hooks.Hooks;
import dev.gunicornjvm.master.socket.ListenerSet;
import dev.gunicornjvm.master.spawn.WorkerLauncher;
import dev.gunicornjvm.master.systemd.SystemdNotifier;
import dev.gunicornjvm.master.upgrade.NewMasterLauncher;
import java.nio.file.Path;

/**
 * What the arbiter acts on outside its own state: time, processes, files, sockets, the configuration
 * and the ones waiting for news of it. Unit tests replace the OS-facing parts with fakes.
 */
record Outside(Clock clock, Processes processes, GenerationFiles files, ListenerSet listeners,
               SettingsReloader reloader, NewMasterStarter upgrader, CdsTrainer cdsTrainer,
               DaemonNotifier daemon, SystemdNotifier systemd, Hooks hooks) {

    /** The real ones, for a master whose private files are in {@code runtimeDir}. */
    static Outside real(Posix posix, Settings settings, ListenerSet listeners, Path runtimeDir,
                        SessionDirectory sessions, SettingsReloader reloader, DaemonNotifier daemon,
                        NewMasterLauncher upgrader, Hooks hooks) {
        WorkerLauncher launcher = new WorkerLauncher(posix, runtimeDir, sessions);
        boolean detached = settings.daemon(); // as started, whatever a reload says since
        return new Outside(Clock.system(), new RealProcesses(posix, launcher),
                new StagedGenerations(posix, runtimeDir, launcher), listeners, reloader,
                (handed, now) -> upgrader.start(handed, detached, now.errorLog(), sessions.path()),
                new CdsTrainer(posix, launcher), daemon, SystemdNotifier.fromEnvironment(posix), hooks);
    }
}
