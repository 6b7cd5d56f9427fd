package dev.gunicornjvm.master;

import dev.gunicornjvm.common.app.AppLoader;
import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.ProcessTitle;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.common.process.PidFile;
import dev.gunicornjvm.common.process.ProcessIdentity;
import dev.gunicornjvm.common.process.ProcessRole;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.common.signals.SignalReceiver;
import dev.gunicornjvm.master.app.PrivateDirectory;
import dev.gunicornjvm.master.app.SessionDirectory;
import dev.gunicornjvm.master.app.StagingException;
import dev.gunicornjvm.master.arbiter.Arbiter;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.config.SettingsReloader;
import dev.gunicornjvm.master.config.Version;
import dev.gunicornjvm.master.daemon.DaemonNotifier;
import dev.gunicornjvm.master.daemon.Daemonizer;
import dev.gunicornjvm.master.hooks.Hooks;
import dev.gunicornjvm.master.preload.AppSnapshot;
import dev.gunicornjvm.master.socket.Listener;
import dev.gunicornjvm.master.socket.InheritedSockets;
import dev.gunicornjvm.master.socket.ListenerSet;
import dev.gunicornjvm.master.socket.SocketActivation;
import dev.gunicornjvm.master.upgrade.Handover;
import dev.gunicornjvm.master.upgrade.NewMasterLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Start-up and shut-down of the master process: check the signal mask, open the listeners, write the
 * pidfile, then hand over to the {@link Arbiter} until it stops, and clean up after it.
 */
public final class Master {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final Settings settings;
    private final SettingsReloader reloader;
    private final List<String> arguments;
    private DaemonNotifier daemon;
    /** systemd's sockets, which replace the configured binds; null when not socket-activated. */
    private SocketActivation activation;
    private Hooks hooks;

    /** @param arguments the command line as given, for the new master a USR2 starts */
    public Master(Settings settings, SettingsReloader reloader, List<String> arguments) {
        this.settings = settings;
        this.reloader = reloader;
        this.arguments = List.copyOf(arguments);
    }

    public int run() {
        Posix posix = Posix.get();
        daemon = DaemonNotifier.fromEnvironment();
        int oldMaster = Handover.oldMaster(System.getenv());
        try {
            // Now, while LISTEN_PID can still be this process: -D starts another.
            activation = SocketActivation.fromEnvironment(System.getenv(), posix.pid(),
                    oldMaster != 0 || System.getenv(Handover.BINDS) != null);
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage(), ExitCodes.ERROR);
        }
        if (settings.daemon() && !daemon.daemonized() && oldMaster == 0) {
            // a new master of an upgrade starts detached already
            return Daemonizer.start(posix, settings.errorLog(), InheritedSockets.toPass(posix, settings.binds(), activation),
                    InheritedSockets.daemonEnvironment(activation));
        }
        try {
            SignalReceiver.requireBlockedMask(posix, "bin/gunicorn");
        } catch (IllegalStateException e) {
            return fail(e.getMessage(), ExitCodes.ERROR);
        }
        if (posix.restoreDefault(Signal.CHLD.number())) {
            // bin/gunicorn resets it (env --default-signal); a master started some other way says so.
            LOG.warn("SIGCHLD was ignored by the process that started the master; it is the default again");
        }
        int pid = posix.pid();
        if (settings.umask() != null) {
            posix.umask(settings.umask());
        }
        PidFile pidFile = settings.pidFile() == null ? null : new PidFile(settings.pidFile());
        if (pidFile != null) {
            OptionalInt other = pidFile.read();
            if (other.isPresent() && other.getAsInt() != pid
                    && ProcessIdentity.of(other.getAsInt()).filter(ProcessIdentity::isGunicornMaster).isPresent()) {
                return fail("Already running on PID " + other.getAsInt() + " (or pid file '" + settings.pidFile()
                        + "' is stale); stop it first or choose another -p/--pid", ExitCodes.ERROR);
            }
        }
        LOG.info("Starting gunicorn-jvm {}", Version.text());
        try {
            // The one piece of user code a master runs: the --hooks class, in a class loader of its own.
            hooks = Hooks.start(settings.hooks(), settings.app().classpath(), pid, settings.app().name(), settings.workers());
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage(), ExitCodes.USAGE);
        }
        hooks.onStarting();
        ListenerSet listeners = new ListenerSet(posix);
        List<Listener> bound;
        try {
            listeners.adopt(Handover.inherited(System.getenv(), pid));
            if (activation != null) {
                listeners.replaceBinds(activation.binds());
                LOG.info("Socket activation: serving on {} instead of the configured binds {}",
                        activation.describe(), settings.binds());
            }
            bound = listeners.openFor(settings.binds(), settings.backlog(), settings.reusePort());
            listeners.closeUnclaimed();
        } catch (IOException e) {
            return fail(e.getMessage(), ExitCodes.ERROR);
        }
        for (Listener l : bound) {
            LOG.info("Listening at: {} ({})", l.url(), pid);
        }
        LOG.info("Using worker: jetty (threads: {})", settings.threads());
        Path runtimeDir;
        try {
            runtimeDir = PrivateDirectory.createTemp(posix, "gunicorn-jvm-" + pid + "-", null); // handOver gives it to -u
        } catch (IOException e) {
            listeners.closeAll();
            return fail("cannot create a private directory: " + e.getMessage(), ExitCodes.ERROR);
        }
        try {
            if (settings.workerUser() != null) {
                handOver(posix, runtimeDir);
            }
            SessionDirectory sessions = new SessionDirectory(posix, Handover.sessions(System.getenv()),
                    settings.workerUser() == null ? null : settings.workerUser().owner());
            return serve(posix, listeners, bound, runtimeDir, sessions, pidFile, oldMaster);
        } finally {
            PrivateDirectory.delete(runtimeDir);
        }
    }

    private int serve(Posix posix, ListenerSet listeners, List<Listener> bound, Path runtimeDir,
                      SessionDirectory sessions, PidFile pidFile, int oldMaster) {
        Settings first = settings;
        if (settings.preload()) {
            try {
                first = settings.withApp(AppSnapshot.take(settings.app(), runtimeDir.resolve("preloaded")));
                LOG.info("Preloaded {}", settings.app().name());
            } catch (IOException | AppLoader.AppLoadException e) {
                listeners.closeAll();
                return fail("cannot preload the app: " + e.getMessage(), ExitCodes.APP_LOAD_ERROR);
            }
        }
        Arbiter arbiter;
        try {
            arbiter = new Arbiter(posix, first, listeners, bound, runtimeDir, sessions, reloader, daemon,
                    new NewMasterLauncher(posix, arguments,
                            activation == null ? Map.of() : activation.handoverEnvironment()), oldMaster, hooks);
            if (pidFile != null) {
                pidFile.write(posix.pid()); // only once there is a master to name
            }
        } catch (StagingException e) {
            listeners.closeAll();
            return fail(e.getMessage(), ExitCodes.APP_LOAD_ERROR);
        } catch (IOException e) {
            listeners.closeAll();
            sessions.cleanUp(oldMaster != 0); // an old master's workers may share them
            return fail("cannot write " + e.getMessage() + " (check the directory's permissions)", ExitCodes.ERROR);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            // An installation without the app's Servlet environment, a session directory that cannot be made.
            listeners.closeAll();
            return fail(e.getMessage(), ExitCodes.ERROR);
        }
        ProcessTitle.set(ProcessRole.MASTER.title(settings.title()));
        try {
            SignalReceiver.start(posix, arbiter::signalled);
            return arbiter.run();
        } catch (RuntimeException | Error e) {
            LOG.fatal("Master failed: {}", e.toString(), e);
            return ExitCodes.ERROR;
        } finally {
            arbiter.cleanUp();
            sessions.cleanUp(arbiter.sharingSockets()); // the other master's workers use them too
        }
    }

    /**
     * Workers that drop to --user still read their argfile and preloaded app from the runtime directory
     * and append to the log files: those become theirs. The pidfile and the control socket stay the
     * operator's.
     */
    private void handOver(Posix posix, Path runtimeDir) {
        Settings.WorkerUser user = settings.workerUser();
        try {
            posix.chown(runtimeDir.toString(), user.uid(), user.gid());
            for (String log : new String[] {settings.errorLog(), settings.accessLog()}) {
                String file = LogSettings.fileOrNull(log);
                if (file != null) {
                    if (!Files.exists(Path.of(file))) {
                        Files.createFile(Path.of(file));
                    }
                    posix.chown(file, user.uid(), user.gid());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot hand files over to user {}: {}", user.user(), e.getMessage());
        }
        LOG.info("Workers run as user {} ({}) and group {} ({})", user.user(), user.uid(), user.group(), user.gid());
    }

    /** One line in the error log, and on stderr too when the log goes to a file the user may not watch. */
    private int fail(String message, int code) {
        LOG.error("Error: {}", message);
        daemon.failed(code, message);
        if (!LogSettings.STREAM.equals(settings.errorLog())) {
            System.err.println("Error: " + message);
        }
        return code;
    }
}
