package dev.gunicornjvm.master.socket;

import dev.gunicornjvm.common.posix.Errno;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.Sockets.SocketFamily;
import dev.gunicornjvm.common.posix.Sockets.SocketKind;
import java.io.IOException;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Creates listening sockets natively (JVM-FACTS 14), so that each one is a plain fd a child can
 * inherit, whatever its family.
 */
public final class ListenerFactory {
    /** Listener fds live at or above this number in the master (see Posix.moveAbove). */
    public static final int HIGH_FD = 1000;
    private static final int SOCKADDR_UN_SIZE = 110;

    private final Posix posix;

    public ListenerFactory(Posix posix) {
        this.posix = posix;
    }

    /** Opens one listener without SO_REUSEPORT. */
    public Listener open(BindAddress address, int backlog) throws IOException {
        return open(address, backlog, false);
    }

    /**
     * Opens one listener, or throws an IOException whose message is one line saying what to do.
     *
     * @param reusePort SO_REUSEPORT on TCP sockets (--reuse-port)
     */
    public Listener open(BindAddress address, int backlog, boolean reusePort) throws IOException {
        try {
            if (address instanceof BindAddress.Fd fd) {
                return openFd(fd);
            }
            if (address instanceof BindAddress.Unix unix) {
                return openUnix(unix, backlog);
            }
            return openTcp((BindAddress.Tcp) address, backlog, reusePort);
        } catch (Errno e) {
            throw new IOException("cannot listen at " + address + ": " + e.getMessage().replaceFirst("^\\w+: ", "")
                    + hint(e.code(), address), e);
        }
    }

    private static String hint(int errno, BindAddress address) {
        switch (errno) {
            case Errno.EADDRINUSE:
                return " (another server is using it; stop it or choose another --bind)";
            case Errno.EACCES:
                return address instanceof BindAddress.Unix
                        ? " (choose a directory you may write to)"
                        : " (ports below 1024 need root; choose a port of 1024 or more)";
            case Errno.EADDRNOTAVAIL:
                return " (this machine has no such address; use 127.0.0.1, 0.0.0.0 or one of its own)";
            default:
                return "";
        }
    }

    /**
     * Describes a listening fd for the bind it was opened for, with the port it really got: used for
     * the listeners this process opens and for those it inherited from an old master.
     */
    public Listener adopt(BindAddress address, int fd) {
        if (address instanceof BindAddress.Fd given) {
            return adoptFd(given, fd);
        }
        if (address instanceof BindAddress.Unix unix) {
            return new Listener(unix, fd, "unix", unix.toString());
        }
        BindAddress.Tcp tcp = (BindAddress.Tcp) address;
        byte[] bound = posix.sockets().localAddress(fd, tcp.ipv6() ? 28 : 16);
        BindAddress.Tcp actual = tcp.withPort(((bound[2] & 0xff) << 8) | (bound[3] & 0xff));
        return new Listener(actual, fd, tcp.ipv6() ? "inet6" : "inet", actual.tls() ? actual.toString() : "http://" + actual);
    }

    /**
     * Takes over a socket opened by whoever started us ({@code fd://N}, systemd). Its family comes from
     * the socket itself; it is moved up among the master's fds, close-on-exec, so that fd N is free for
     * the fds children get (workers receive it at 3 and up like any listener).
     */
    private Listener openFd(BindAddress.Fd given) throws IOException {
        SocketKind kind;
        try {
            kind = posix.sockets().kind(given.fd());
        } catch (Errno e) {
            throw notListening(given, e.code() == Errno.EBADF ? "fd " + given.fd() + " is not open"
                    : e.code() == Errno.ENOTSOCK ? "fd " + given.fd() + " is not a socket" : e.getMessage());
        }
        if (!kind.stream()) {
            throw notListening(given, "not a stream socket");
        }
        if (!kind.listening()) {
            throw notListening(given, "nobody called listen() on it");
        }
        if (family(kind.family()) == null) {
            throw notListening(given, "address family " + kind.family() + " is not IPv4, IPv6 or unix");
        }
        return adoptFd(given, posix.moveAbove(given.fd(), HIGH_FD));
    }

    private static IOException notListening(BindAddress.Fd given, String why) {
        return new IOException(given + " is not a listening socket (" + why + "; pass a socket that is bound"
                + " and listening, e.g. from systemd or a wrapper that opens it, or bind an address instead)");
    }

    private static String family(int number) {
        return switch (number) {
            case SocketFamily.INET -> "inet";
            case SocketFamily.INET6 -> "inet6";
            case SocketFamily.UNIX -> "unix";
            default -> null;
        };
    }

    /** An inherited socket described by what it is bound to, as Gunicorn logs it ("http://127.0.0.1:8000"). */
    private Listener adoptFd(BindAddress.Fd given, int fd) {
        String family = family(posix.sockets().kind(fd).family());
        byte[] bound = posix.sockets().localAddress(fd, SOCKADDR_UN_SIZE);
        if ("unix".equals(family)) {
            // An abstract socket's name starts with a NUL and runs to the end of the address; shown with '@'.
            boolean abstractName = bound.length > 2 && bound[2] == 0;
            int start = abstractName ? 3 : 2;
            int end = start;
            while (end < bound.length && (abstractName || bound[end] != 0)) {
                end++;
            }
            return new Listener(given, fd, family, "unix:" + (abstractName ? "@" : "")
                    + new String(bound, start, end - start, StandardCharsets.UTF_8));
        }
        int port = ((bound[2] & 0xff) << 8) | (bound[3] & 0xff);
        boolean v6 = "inet6".equals(family);
        byte[] host = java.util.Arrays.copyOfRange(bound, v6 ? 8 : 4, v6 ? 24 : 8);
        String text;
        try {
            text = java.net.InetAddress.getByAddress(host).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: the length is 4 or 16
        }
        return new Listener(given, fd, family, (given.tls() ? "https://" : "http://")
                + (v6 ? "[" + compact(text) + "]" : text) + ":" + port);
    }

    /** An IPv6 address as people write it (RFC 5952: "::1", not Java's "0:0:0:0:0:0:0:1"). */
    static String compact(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1; // a single zero group stays "0"
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private Listener openTcp(BindAddress.Tcp tcp, int backlog, boolean reusePort) {
        boolean v6 = tcp.ipv6();
        byte[] sockaddr = v6 ? sockaddrIn6(tcp) : sockaddrIn(tcp);
        int family = v6 ? SocketFamily.INET6 : SocketFamily.INET;
        return adopt(tcp, posix.moveAbove(posix.sockets().listen(family, sockaddr, backlog, reusePort), HIGH_FD));
    }

    private Listener openUnix(BindAddress.Unix unix, int backlog) throws IOException {
        Path path = unix.path().toAbsolutePath();
        byte[] sockaddr = sockaddrUn(path);
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isOther()) {
                throw new IOException("cannot listen at " + unix + ": the path exists and is not a socket"
                        + " (remove it or choose another path)");
            }
            if (posix.sockets().accepts(SocketFamily.UNIX, sockaddr)) {
                throw new IOException("cannot listen at " + unix + ": another server is listening on it"
                        + " (stop it or choose another path)");
            }
            // Nobody accepts on it: a stale socket file left by a process that was killed.
            Files.delete(path);
        }
        return adopt(unix, posix.moveAbove(posix.sockets().listen(SocketFamily.UNIX, sockaddr, backlog, false), HIGH_FD));
    }

    private static byte[] sockaddrIn(BindAddress.Tcp tcp) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) SocketFamily.INET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) tcp.port());
        b.put(tcp.host().getAddress());
        return b.array();
    }

    private static byte[] sockaddrIn6(BindAddress.Tcp tcp) {
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) SocketFamily.INET6);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) tcp.port());
        b.putInt(0); // flow info
        b.put(tcp.host().getAddress());
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(((Inet6Address) tcp.host()).getScopeId());
        return b.array();
    }

    private static byte[] sockaddrUn(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SOCKADDR_UN_SIZE - 2) {
            throw new IOException("cannot listen at unix:" + path + ": the path is longer than 107 bytes"
                    + " (choose a shorter path)");
        }
        ByteBuffer b = ByteBuffer.allocate(SOCKADDR_UN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) SocketFamily.UNIX);
        b.put(name);
        return b.array();
    }
}
