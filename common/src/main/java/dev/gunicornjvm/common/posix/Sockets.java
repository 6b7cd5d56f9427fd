package dev.gunicornjvm.common.posix;

import java.util.Optional;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** The socket calls of the native layer ({@link Posix#sockets()}): checked wrappers over {@link LibC}. */
public final class Sockets {
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_TYPE = 3;
    private static final int SO_REUSEPORT = 15;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_DOMAIN = 39;
    private static final int SO_PEERCRED = 17;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;

    private final Posix posix;
    private final LibC libc;
    private final Runtime runtime;

    Sockets(Posix posix, LibC libc, Runtime runtime) {
        this.posix = posix;
        this.libc = libc;
        this.runtime = runtime;
    }

    /**
     * Creates a listening socket: socket, SO_REUSEADDR (TCP), IPV6_V6ONLY (IPv6), bind, listen.
     * The fd is close-on-exec; children receive copies through spawn file actions.
     *
     * @param reusePort SO_REUSEPORT on a TCP socket (--reuse-port): other processes may then bind the
     *                  same address too (each with the option), and the kernel spreads connections
     */
    public int listen(int family, byte[] socketAddress, int backlog, boolean reusePort) {
        int fd = posix.check("socket", libc.socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
        try {
            if (family != SocketFamily.UNIX) {
                posix.check("setsockopt(SO_REUSEADDR)", libc.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
                if (reusePort) {
                    posix.check("setsockopt(SO_REUSEPORT)", libc.setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, new int[] {1}, 4));
                }
            }
            if (family == SocketFamily.INET6) {
                posix.check("setsockopt(IPV6_V6ONLY)", libc.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, new int[] {1}, 4));
            }
            posix.check("bind", libc.bind(fd, toNative(socketAddress), socketAddress.length));
            posix.check("listen", libc.listen(fd, backlog));
            return fd;
        } catch (Errno e) {
            libc.close(fd);
            throw e;
        }
    }

    /**
     * The uid of the process at the other end of a connected Unix-domain socket, as the kernel recorded
     * it at connect time (SO_PEERCRED, a struct ucred of pid, uid and gid): a number, with or without a
     * passwd entry, that the peer cannot forge.
     */
    public int peerUid(int fd) {
        int[] credentials = new int[3];
        int[] length = {credentials.length * 4};
        posix.check("getsockopt(SO_PEERCRED)", libc.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, credentials, length));
        if (length[0] != credentials.length * 4) {
            throw new Errno("getsockopt(SO_PEERCRED)", Errno.EINVAL, length[0] + " bytes, not a struct ucred");
        }
        return credentials[1];
    }

    /**
     * What an fd someone else opened is (an {@code fd://N} bind, a socket from systemd): its family,
     * whether it is a stream socket and whether it listens. Throws Errno ENOTSOCK for an fd that is not
     * a socket, EBADF for one that is not open.
     */
    public SocketKind kind(int fd) {
        return new SocketKind(intOption(fd, SO_DOMAIN, "SO_DOMAIN"), intOption(fd, SO_TYPE, "SO_TYPE") == SOCK_STREAM,
                intOption(fd, SO_ACCEPTCONN, "SO_ACCEPTCONN") != 0);
    }

    private int intOption(int fd, int option, String name) {
        int[] value = new int[1];
        posix.check("getsockopt(" + name + ")", libc.getsockopt(fd, SOL_SOCKET, option, value, new int[] {4}));
        return value[0];
    }

    /** @param family a {@link SocketFamily} number */
    public record SocketKind(int family, boolean stream, boolean listening) {
    }

    /** The address a socket is bound to (to learn the port after binding port 0). */
    public byte[] localAddress(int fd, int size) {
        Pointer address = Memory.allocateDirect(runtime, size);
        int[] length = {size};
        posix.check("getsockname", libc.getsockname(fd, address, length));
        byte[] bytes = new byte[Math.min(size, length[0])];
        address.get(0, bytes, 0, bytes.length);
        return bytes;
    }

    /** True if something accepts connections at this address (used to tell a stale unix socket file). */
    public boolean accepts(int family, byte[] socketAddress) {
        int fd = posix.check("socket", libc.socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
        try {
            return libc.connect(fd, toNative(socketAddress), socketAddress.length) == 0;
        } finally {
            libc.close(fd);
        }
    }

    /**
     * Sends one datagram to a Unix-domain datagram socket (systemd's NOTIFY_SOCKET). A path starting
     * with '@' names an abstract socket.
     */
    public void sendDatagram(String path, byte[] message) {
        byte[] address = unixAddress(path);
        int fd = posix.check("socket", libc.socket(SocketFamily.UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        try {
            if (libc.sendto(fd, message, message.length, 0, toNative(address), address.length) < 0) {
                throw posix.error("sendto " + path);
            }
        } finally {
            libc.close(fd);
        }
    }

    /** Binds a Unix-domain datagram socket at {@code path} (for reading what is sent there). */
    public int bindDatagram(String path) {
        byte[] address = unixAddress(path);
        int fd = posix.check("socket", libc.socket(SocketFamily.UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        posix.check("bind " + path, libc.bind(fd, toNative(address), address.length));
        return fd;
    }

    /** One datagram if one is waiting, without blocking. */
    public Optional<byte[]> receiveNow(int fd) {
        byte[] buffer = new byte[4096];
        long n = libc.recv(fd, buffer, buffer.length, MSG_DONTWAIT);
        return n < 0 ? Optional.empty() : Optional.of(java.util.Arrays.copyOf(buffer, (int) n));
    }

    /** A sockaddr_un for a path; '@' at the start means the abstract namespace. */
    public static byte[] unixAddress(String path) {
        byte[] name = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (name.length > 0 && name[0] == '@') {
            name[0] = 0;
        }
        if (name.length > 107) {
            throw new IllegalArgumentException("unix socket path longer than 107 bytes: " + path);
        }
        byte[] address = new byte[2 + name.length + (name.length > 0 && name[0] == 0 ? 0 : 1)];
        address[0] = (byte) SocketFamily.UNIX;
        System.arraycopy(name, 0, address, 2, name.length);
        return address;
    }

    private Pointer toNative(byte[] bytes) {
        Pointer p = Memory.allocateDirect(runtime, bytes.length);
        p.put(0, bytes, 0, bytes.length);
        return p;
    }

    /** Address family numbers (Linux). */
    public static final class SocketFamily {
        public static final int UNIX = 1;
        public static final int INET = 2;
        public static final int INET6 = 10;

        private SocketFamily() {
        }
    }
}
