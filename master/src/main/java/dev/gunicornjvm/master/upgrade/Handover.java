package dev.gunicornjvm.master.upgrade;

import dev.gunicornjvm.master.socket.SocketActivation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment a master gives the new master it starts on USR2, systemd style: the listeners at fd 3
 * and up with {@code LISTEN_FDS} saying how many, plus which bind each one is
 * ({@code GUNICORN_LISTEN_BINDS}, each bind's {@code BindAddress.key()} as requested, so that
 * "127.0.0.1:0" finds the port it got and "localhost:8000" the socket of "127.0.0.1:8000") and
 * which master is the old one ({@code GUNICORN_OLD_MASTER}).
 */
public final class Handover {
    public static final String LISTEN_FDS = "LISTEN_FDS";
    public static final String LISTEN_PID = "LISTEN_PID";
    public static final String BINDS = "GUNICORN_LISTEN_BINDS";
    public static final String OLD_MASTER = "GUNICORN_OLD_MASTER";
    /** The private session directory, shared with the new master's workers. */
    public static final String SESSIONS = "GUNICORN_SESSION_DIR";
    public static final int FIRST_FD = 3;
    /** Separates binds in GUNICORN_LISTEN_BINDS; cannot appear in a host, a port or a sane socket path. */
    private static final String SEPARATOR = "\n";

    /** Variables that belong to one master's start-up only; workers and later masters must not see them. */
    public static final Set<String> PRIVATE = Set.of(LISTEN_FDS, LISTEN_PID, BINDS, OLD_MASTER, SESSIONS,
            SocketActivation.LISTEN_FDNAMES, SocketActivation.HANDOVER);

    private Handover() {
    }

    /** @param sessions the private session directory, or null when there is none */
    public static Map<String, String> environment(List<String> bindKeys, int oldMasterPid, java.nio.file.Path sessions) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(LISTEN_FDS, Integer.toString(bindKeys.size()));
        env.put(BINDS, String.join(SEPARATOR, bindKeys));
        env.put(OLD_MASTER, Integer.toString(oldMasterPid));
        if (sessions != null) {
            env.put(SESSIONS, sessions.toString());
        }
        return env;
    }

    /** The session directory the old master handed over, or null. */
    public static java.nio.file.Path sessions(Map<String, String> env) {
        String value = env.get(SESSIONS);
        return value == null || value.isEmpty() ? null : java.nio.file.Path.of(value);
    }

    /** The inherited listeners of this process, bind to fd; empty unless started by a USR2. */
    public static Map<String, Integer> inherited(Map<String, String> env, int pid) {
        String count = env.get(LISTEN_FDS);
        String binds = env.get(BINDS);
        String listenPid = env.get(LISTEN_PID);
        if (count == null || binds == null || (listenPid != null && !listenPid.equals(Integer.toString(pid)))) {
            return Map.of();
        }
        String[] keys = binds.split(SEPARATOR);
        int n = Integer.parseInt(count);
        Map<String, Integer> result = new LinkedHashMap<>();
        for (int i = 0; i < n && i < keys.length; i++) {
            result.put(keys[i], FIRST_FD + i);
        }
        return result;
    }

    /** The pid of the master that started this one by USR2, or 0. */
    public static int oldMaster(Map<String, String> env) {
        String value = env.get(OLD_MASTER);
        return value == null ? 0 : Integer.parseInt(value);
    }
}
