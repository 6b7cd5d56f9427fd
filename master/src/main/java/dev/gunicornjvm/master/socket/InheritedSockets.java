package dev.gunicornjvm.master.socket;

import dev.gunicornjvm.common.posix.Errno;
import dev.gunicornjvm.common.posix.Posix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sockets a master was given rather than opened (fd:// binds, socket activation) and that its
 * daemon (-D) must find at the same fd numbers: a JVM cannot fork, so the daemon is a new process that
 * gets them through its spawn.
 */
public final class InheritedSockets {
    private InheritedSockets() {
    }

    /**
     * The fds to pass: every activated socket and every fd:// bind that is an open socket. One that is
     * not is left out, so that the daemon says what is wrong with it in its own one-line error.
     */
    public static List<Integer> toPass(Posix posix, List<BindAddress> binds, SocketActivation activation) {
        List<Integer> fds = new ArrayList<>();
        List<BindAddress> all = new ArrayList<>(binds);
        if (activation != null) {
            all.addAll(activation.binds());
        }
        for (BindAddress bind : all) {
            if (bind instanceof BindAddress.Fd given && !fds.contains(given.fd())) {
                try {
                    posix.sockets().kind(given.fd());
                    fds.add(given.fd());
                } catch (Errno notASocket) {
                    // Reported by the daemon, which fails to adopt it.
                }
            }
        }
        return fds;
    }

    /**
     * The daemon's environment changes: systemd's variables would not name the daemon's pid, so they are
     * replaced by the master-to-master form of the same facts. Null values remove a variable.
     */
    public static Map<String, String> daemonEnvironment(SocketActivation activation) {
        Map<String, String> env = new HashMap<>();
        if (activation != null) {
            env.put(SocketActivation.LISTEN_FDS, null);
            env.put(SocketActivation.LISTEN_PID, null);
            env.put(SocketActivation.LISTEN_FDNAMES, null);
            env.putAll(activation.handoverEnvironment());
        }
        return env;
    }
}
