package dev.gunicornjvm.master.socket;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * One {@code -b/--bind} value, as Gunicorn reads it: {@code HOST:PORT}, {@code HOST} (port 8000),
 * {@code [IPv6]:PORT}, or {@code unix:PATH}, each optionally after {@code http://} or {@code https://}
 * (TLS). Whether a bind uses TLS is not part of its {@link #key()}: a reload that turns TLS on or off
 * keeps the same socket.
 */
public sealed interface BindAddress {
    int DEFAULT_PORT = 8000;

    /**
     * The address as the kernel sees it ("localhost:8000" and "127.0.0.1:8000" are one socket): how a
     * reload or a new master recognises a listener it already holds.
     */
    String key();

    /** True when connections to it speak TLS. */
    boolean tls();

    /** The same socket, with or without TLS. */
    BindAddress withTls(boolean useTls);

    /** True when the text starts with http:// or https://, which decides TLS for that bind. */
    static boolean hasScheme(String text) {
        String t = text.trim();
        return t.startsWith("http://") || t.startsWith("https://");
    }

    /** {@code name} is the host as the user wrote it, which is also how logs show it. */
    record Tcp(String name, InetAddress host, int port, boolean tls) implements BindAddress {
        public Tcp(String name, InetAddress host, int port) {
            this(name, host, port, false);
        }

        @Override
        public Tcp withTls(boolean useTls) {
            return new Tcp(name, host, port, useTls);
        }

        public boolean ipv6() {
            return host instanceof Inet6Address;
        }

        @Override
        public String key() {
            String h = host.getHostAddress();
            return (ipv6() ? "[" + h + "]" : h) + ":" + port;
        }

        public Tcp withPort(int newPort) {
            return new Tcp(name, host, newPort, tls);
        }

        /** HOST:PORT, after https:// for TLS (so that --print-config writes what parses back). */
        @Override
        public String toString() {
            return (tls ? "https://" : "") + (ipv6() ? "[" + name + "]" : name) + ":" + port;
        }
    }

    record Unix(Path path, boolean tls) implements BindAddress {
        public Unix(Path path) {
            this(path, false);
        }

        @Override
        public Unix withTls(boolean useTls) {
            return new Unix(path, useTls);
        }

        @Override
        public String key() {
            return "unix:" + path.toAbsolutePath();
        }

        @Override
        public String toString() {
            return (tls ? "https://" : "") + "unix:" + path;
        }
    }

    /**
     * A socket someone else opened and passed down at fd N: {@code -b fd://N}, or one of systemd's
     * (socket activation, where {@code name} is its LISTEN_FDNAMES entry; null otherwise). The key is
     * the fd number the process got it at, which is how a USR2 new master finds it again.
     */
    record Fd(int fd, String name, boolean tls) implements BindAddress {
        public static final String PREFIX = "fd://";

        public Fd(int fd, String name) {
            this(fd, name, false);
        }

        @Override
        public Fd withTls(boolean useTls) {
            return new Fd(fd, name, useTls);
        }

        @Override
        public String key() {
            return PREFIX + fd;
        }

        @Override
        public String toString() {
            return (tls ? "https://" : "") + key();
        }
    }

    static BindAddress parse(String text) {
        String value = text.trim();
        if (value.startsWith(Fd.PREFIX)) {
            String number = value.substring(Fd.PREFIX.length());
            if (!number.matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("bind '" + text + "' has a bad fd '" + number
                        + "' (use fd://N with the number of an inherited listening socket, e.g. fd://3)");
            }
            return new Fd(Integer.parseInt(number), null);
        }
        if (value.startsWith("https://")) {
            return parse(value.substring("https://".length())).withTls(true);
        }
        if (value.startsWith("http://")) {
            value = value.substring("http://".length());
        }
        if (value.startsWith("unix:")) {
            String path = value.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("bind '" + text + "' has no path (use unix:/path/to/socket)");
            }
            return new Unix(Path.of(path));
        }
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bind '" + text + "' has no closing ] (use [::1]:8000)");
            }
            host = value.substring(1, close);
            String rest = value.substring(close + 1);
            port = rest.startsWith(":") ? rest.substring(1) : rest.isEmpty() ? null : rest;
        } else {
            int colon = value.lastIndexOf(':');
            if (colon >= 0 && value.indexOf(':') != colon) {
                throw new IllegalArgumentException("bind '" + text + "': put an IPv6 address in brackets, e.g. [::1]:8000");
            }
            host = colon < 0 ? value : value.substring(0, colon);
            port = colon < 0 ? null : value.substring(colon + 1);
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        int portNumber = DEFAULT_PORT;
        if (port != null) {
            try {
                portNumber = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                portNumber = -1;
            }
            if (portNumber < 0 || portNumber > 65535) {
                throw new IllegalArgumentException("bind '" + text + "' has a bad port '" + port + "' (use 0-65535)");
            }
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
                throw new IllegalArgumentException("bind '" + text + "': unsupported address");
            }
            return new Tcp(host, address, portNumber);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bind '" + text + "': unknown host '" + host + "'");
        }
    }
}
