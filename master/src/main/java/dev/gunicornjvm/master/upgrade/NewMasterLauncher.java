package dev.gunicornjvm.master.upgrade;

import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.SpawnRequest;
import dev.gunicornjvm.common.signals.SignalReceiver;
import dev.gunicornjvm.master.daemon.DaemonNotifier;
import dev.gunicornjvm.master.socket.Listener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts the new master of a binary upgrade: the launcher as it is on disk now ({@code bin/gunicorn},
 * whose path the launcher itself put in {@code GUNICORN_LAUNCHER}), with this master's own arguments,
 * inheriting its listeners. Replacing the installation and sending USR2 therefore runs the new code.
 */
public final class NewMasterLauncher {
    public static final String LAUNCHER_ENV = "GUNICORN_LAUNCHER";

    private final Posix posix;
    private final List<String> arguments;
    private final Map<String, String> activation;

    /**
     * @param activation what tells the new master that the listeners it inherits replace its binds
     *                   (SocketActivation.handoverEnvironment()), or empty when this one was not socket-activated
     */
    public NewMasterLauncher(Posix posix, List<String> arguments, Map<String, String> activation) {
        this.posix = posix;
        this.arguments = List.copyOf(arguments);
        this.activation = Map.copyOf(activation);
    }

    /**
     * @param bound bind (as written) to listener, in bind order
     * @param detach start it as a daemon like this one (new session, no terminal)
     * @param errorLog where its output goes if it is a file, so that a new master that fails early says why there
     * @param sessions the private session directory the new master's workers are to share, or null
     * @return the new master's pid
     */
    public int start(Map<String, Listener> bound, boolean detach, String errorLog, Path sessions) throws IOException {
        String launcher = System.getenv(LAUNCHER_ENV);
        if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
            throw new IOException("cannot find the launcher to start a new master ("
                    + (launcher == null ? LAUNCHER_ENV + " is not set; start the master with bin/gunicorn" : launcher
                    + " is not executable") + ")");
        }
        Map<Integer, Integer> fds = new HashMap<>();
        List<String> keys = new ArrayList<>();
        int fd = Handover.FIRST_FD;
        for (Map.Entry<String, Listener> e : bound.entrySet()) {
            keys.add(e.getKey());
            fds.put(fd++, e.getValue().fd());
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeAll(Handover.PRIVATE);
        env.remove(DaemonNotifier.ENV);
        env.putAll(Handover.environment(keys, posix.pid(), sessions));
        env.putAll(activation);
        List<String> argv = new ArrayList<>();
        argv.add(launcher);
        argv.addAll(arguments);
        try {
            return posix.spawn(new SpawnRequest(launcher, argv,
                    env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.toList()),
                    fds, SignalReceiver.blockedSet(), detach, LogSettings.fileOrNull(errorLog)));
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("cannot start " + launcher + ": " + e.getMessage(), e);
        }
    }
}
