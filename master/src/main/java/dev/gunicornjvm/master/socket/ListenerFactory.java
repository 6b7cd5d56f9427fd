package dev.gunicornjvm.master.socket;

import dev.gunicornjvm.common.posix.Errno;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.Sockets.SocketFamily;
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

    /** Opens one listener, or throws an IOException whose message is one line saying what to do. */
    public Listener open(BindAddress address, int backlog) throws IOException {
        try {
            if (address instanceof BindAddress.Unix unix) {
                return openUnix(unix, backlog);
            }
            return openTcp((BindAddress.Tcp) address, backlog);
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
        if (address instanceof BindAddress.Unix unix) {
            return new Listener(unix, fd, "unix", unix.toString());
        }
        BindAddress.Tcp tcp = (BindAddress.Tcp) address;
        byte[] bound = posix.sockets().localAddress(fd, tcp.ipv6() ? 28 : 16);
        BindAddress.Tcp actual = tcp.withPort(((bound[2] & 0xff) << 8) | (bound[3] & 0xff));
        return new Listener(actual, fd, tcp.ipv6() ? "inet6" : "inet", actual.tls() ? actual.toString() : "http://" + actual);
    }

    private Listener openTcp(BindAddress.Tcp tcp, int backlog) {
        boolean v6 = tcp.ipv6();
        byte[] sockaddr = v6 ? sockaddrIn6(tcp) : sockaddrIn(tcp);
        int family = v6 ? SocketFamily.INET6 : SocketFamily.INET;
        return adopt(tcp, posix.moveAbove(posix.sockets().listen(family, sockaddr, backlog), HIGH_FD));
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
        return adopt(unix, posix.moveAbove(posix.sockets().listen(SocketFamily.UNIX, sockaddr, backlog), HIGH_FD));
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
