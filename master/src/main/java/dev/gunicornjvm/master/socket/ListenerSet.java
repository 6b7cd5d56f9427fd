package dev.gunicornjvm.master.socket;

import dev.gunicornjvm.common.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every listener the master holds, by address. A reload asks for the listeners of its new binds: the
 * ones it already holds are reused (same fd, so queued connections are not lost), new ones are opened,
 * and the ones no longer bound are closed once the workers using them are gone.
 */
public final class ListenerSet {
    private final Posix posix;
    private final ListenerFactory factory;
    /**
     * Keyed by {@link BindAddress#key()} of the bind as requested, not as bound: "127.0.0.1:0" must find
     * the port it got the first time.
     */
    private final Map<String, Listener> open = new LinkedHashMap<>();
    /** Listeners inherited from an old master, by key, until a bind of the configuration claims them. */
    private final Map<String, Integer> inherited = new LinkedHashMap<>();
    /** The binds every openFor serves instead of the ones it is given (socket activation), or null. */
    private List<BindAddress> replacement;

    public ListenerSet(Posix posix) {
        this.posix = posix;
        this.factory = new ListenerFactory(posix);
    }

    /**
     * The listeners for these binds, in bind order, opening the missing ones. If one cannot be opened,
     * those opened by this call are closed again and the IOException says why.
     *
     * @param reusePort SO_REUSEPORT on the TCP sockets this call opens (--reuse-port)
     */
    public List<Listener> openFor(List<BindAddress> binds, int backlog, boolean reusePort) throws IOException {
        List<Listener> result = new ArrayList<>();
        Map<String, Listener> opened = new LinkedHashMap<>();
        Map<String, Listener> retagged = new LinkedHashMap<>(); // held already: never closed here
        try {
            // Activated sockets use TLS when the configured binds do (Gunicorn: the TLS options apply to all).
            boolean tls = binds.stream().anyMatch(BindAddress::tls);
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (BindAddress address : replacement != null ? replacement.stream().map(b -> b.withTls(tls)).toList() : binds) {
                String key = key(address, seen);
                Listener l = open.get(key);
                if (l != null && l.address().tls() != address.tls()) {
                    l = factory.adopt(address, l.fd()); // the same socket, now with (or without) TLS
                    retagged.put(key, l);
                } else if (l == null) {
                    Integer fd = inherited.remove(key);
                    l = fd != null ? factory.adopt(address, fd) : factory.open(address, backlog, reusePort);
                    opened.put(key, l);
                }
                result.add(l);
            }
        } catch (IOException e) {
            opened.values().forEach(this::close);
            throw e;
        }
        open.putAll(opened);
        open.putAll(retagged);
        return result;
    }

    /**
     * The bind's key, with {@code #N} for the N-th bind to port 0 of one host: each of those is a
     * socket of its own (e.g. {@code -b https://127.0.0.1:0 -b http://127.0.0.1:0}), and keeps it
     * across reloads and upgrades by its place among them.
     */
    private static String key(BindAddress address, Map<String, Integer> seen) {
        String key = address.key();
        if (address instanceof BindAddress.Tcp tcp && tcp.port() == 0) {
            int n = seen.merge(key, 1, Integer::sum);
            return n == 1 ? key : key + "#" + n;
        }
        return key;
    }

    /**
     * Serves these binds from now on, whatever binds {@link #openFor} is given: socket activation
     * replaces the configured binds for the master's life (Gunicorn's rule), reloads included.
     */
    public void replaceBinds(List<BindAddress> binds) {
        replacement = List.copyOf(binds);
    }

    /**
     * Takes over listeners inherited from an old master (key to fd): {@link #openFor} uses them for the
     * binds with those keys instead of opening new sockets.
     */
    public void adopt(Map<String, Integer> fds) {
        fds.forEach((key, fd) -> inherited.put(key, posix.moveAbove(fd, ListenerFactory.HIGH_FD)));
    }

    /** Closes inherited listeners no bind claimed (the old master still serves on them). */
    public void closeUnclaimed() {
        inherited.values().forEach(posix::close);
        inherited.clear();
    }

    /** Every open listener, by the bind that opened it, in bind order. */
    public Map<String, Listener> bound() {
        return new LinkedHashMap<>(open);
    }

    /** Closes (and for unix: unlinks) every listener not in {@code keep}. */
    public List<Listener> retainOnly(List<Listener> keep) {
        return retainOnly(keep, true);
    }

    /**
     * @param unlink false while another master serves on the same unix paths: a path is never unlinked
     *               under a master that still listens on it
     */
    public List<Listener> retainOnly(List<Listener> keep, boolean unlink) {
        List<Listener> closed = new ArrayList<>();
        for (Map.Entry<String, Listener> e : List.copyOf(open.entrySet())) {
            Listener l = e.getValue();
            if (!keep.contains(l)) {
                open.remove(e.getKey());
                close(l);
                if (unlink) {
                    unlink(l);
                }
                closed.add(l);
            }
        }
        return closed;
    }

    /** Closes the master's copies; workers keep theirs until they exit. Unix paths stay until {@link #unlinkAll()}. */
    public void closeAll() {
        open.values().forEach(this::close);
    }

    public void unlinkAll() {
        open.values().forEach(ListenerSet::unlink);
    }

    private void close(Listener l) {
        posix.close(l.fd());
    }

    private static void unlink(Listener l) {
        if (l.address() instanceof BindAddress.Unix unix) {
            try {
                Files.deleteIfExists(unix.path().toAbsolutePath());
            } catch (IOException ignored) {
                // Someone removed it or its directory already; nothing is left to clean.
            }
        }
    }
}
