package dev.gunicornjvm.master.socket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * systemd socket activation: the sockets systemd (or {@code systemd-socket-activate}) opened and passed
 * at fd 3 and up, with {@code LISTEN_FDS}, {@code LISTEN_PID} and {@code LISTEN_FDNAMES}. As in Gunicorn,
 * they replace the configured binds for the master's whole life: a HUP keeps serving on them, and a USR2
 * hands them to the new master, which serves on them alone too ({@link #HANDOVER} says so, since its
 * own command line still names the configured binds).
 *
 * @param sockets one {@code fd://N} bind per socket, named by its LISTEN_FDNAMES entry
 */
public record SocketActivation(List<BindAddress.Fd> sockets) {
    public static final String LISTEN_FDS = "LISTEN_FDS";
    public static final String LISTEN_PID = "LISTEN_PID";
    public static final String LISTEN_FDNAMES = "LISTEN_FDNAMES";
    /**
     * Set by a socket-activated master for the new master of a USR2 (and for its own daemon, -D): the
     * LISTEN_FDNAMES of the activated sockets, one entry per socket, which are at fd 3 and up there.
     */
    public static final String HANDOVER = "GUNICORN_SOCKET_ACTIVATION";
    /** Where systemd puts the first socket (SD_LISTEN_FDS_START). */
    public static final int FIRST_FD = 3;

    public SocketActivation {
        sockets = List.copyOf(sockets);
    }

    /**
     * The activated sockets of this process, or null when it was not socket-activated.
     *
     * <p>systemd's own variables count only when LISTEN_PID is this process (they may have leaked from
     * a parent that was activated) and no old master hands listeners over (an upgrade uses LISTEN_FDS
     * too, with its own variables). A child master (USR2, or the daemon of -D) is another process: it
     * learns of the activation from {@link #HANDOVER} instead.
     *
     * @param handover  true when an old master (USR2) handed listeners over to this one
     * @throws IllegalArgumentException with one line when the variables are malformed
     */
    public static SocketActivation fromEnvironment(Map<String, String> env, int pid, boolean handover) {
        String names = env.get(HANDOVER);
        if (names != null) {
            return named(names.split(":", -1));
        }
        String listenPid = env.get(LISTEN_PID);
        String count = env.get(LISTEN_FDS);
        if (handover || listenPid == null || count == null) {
            return null;
        }
        if (!listenPid.trim().equals(Integer.toString(pid))) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(count.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 1000 - FIRST_FD) {
            throw new IllegalArgumentException(LISTEN_FDS + "='" + count + "' is not a number of sockets (start"
                    + " the master from a systemd .socket unit or systemd-socket-activate, or unset LISTEN_FDS)");
        }
        String fdNames = env.get(LISTEN_FDNAMES);
        String[] given = fdNames == null ? new String[0] : fdNames.split(":", -1);
        String[] all = new String[n];
        for (int i = 0; i < n; i++) {
            all[i] = i < given.length && !given[i].isEmpty() ? given[i] : "unknown"; // systemd's name for "none"
        }
        return named(all);
    }

    private static SocketActivation named(String[] names) {
        List<BindAddress.Fd> sockets = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            sockets.add(new BindAddress.Fd(FIRST_FD + i, names[i]));
        }
        return new SocketActivation(sockets);
    }

    /** The binds the master serves instead of the configured ones. */
    public List<BindAddress> binds() {
        return List.copyOf(sockets);
    }

    /** What a child master (USR2, or the daemon of -D) needs to serve on the same sockets. */
    public Map<String, String> handoverEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(HANDOVER, String.join(":", sockets.stream().map(BindAddress.Fd::name).toList()));
        return env;
    }

    /** For the log: "fd://3 (web), fd://4 (api)". */
    public String describe() {
        return String.join(", ", sockets.stream().map(s -> s + " (" + s.name() + ")").toList());
    }
}
