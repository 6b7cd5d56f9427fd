package dev.gunicornjvm.common.statsd;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where StatsD metrics go and how they are named, from Gunicorn's {@code --statsd-host},
 * {@code --statsd-prefix} and {@code --dogstatsd-tags}.
 *
 * @param host     a host name or address for UDP, or null for a Unix datagram socket
 * @param port     the UDP port; 0 with a Unix socket
 * @param unixPath the Unix datagram socket's path, or null for UDP
 * @param prefix   put before every metric name with a dot ({@code app} makes {@code app.gunicorn.requests}),
 *                 without trailing dots; empty for none
 * @param tags     dogstatsd tags appended to every metric ({@code |#env:test,team:web}); empty for plain StatsD
 */
public record StatsdTarget(String host, int port, String unixPath, String prefix, List<String> tags) {
    /** StatsD's port, Gunicorn's default when --statsd-host names none. */
    public static final int DEFAULT_PORT = 8125;

    public StatsdTarget {
        tags = List.copyOf(tags);
        prefix = prefix == null ? "" : prefix;
    }

    /**
     * Checks and splits the three options as Gunicorn reads them: {@code HOST}, {@code HOST:PORT},
     * {@code [V6]:PORT}, or {@code unix:PATH} ({@code unix://PATH}); tags separated by commas.
     *
     * @throws IllegalArgumentException with a one-line reason when the address is malformed
     */
    public static StatsdTarget parse(String address, String prefix, String tags) {
        String a = address.trim();
        List<String> tagList = tags == null ? List.of()
                : Arrays.stream(tags.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        String p = prefix == null ? "" : prefix.trim().replaceAll("\\.+$", "");
        if (a.toLowerCase(Locale.ROOT).startsWith("unix:")) {
            String path = a.substring("unix:".length());
            path = path.startsWith("//") ? path.substring(2) : path;
            if (path.isEmpty()) {
                throw new IllegalArgumentException("--statsd-host '" + address + "' names no socket (want unix:PATH)");
            }
            return new StatsdTarget(null, 0, path, p, tagList);
        }
        String host = a;
        int port = DEFAULT_PORT;
        int colon = a.lastIndexOf(':');
        boolean bracketed = a.startsWith("[");
        if (bracketed) {
            int end = a.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("--statsd-host '" + address + "': unclosed '[' (want [ADDRESS]:PORT)");
            }
            host = a.substring(1, end);
            colon = a.indexOf(':', end) == end + 1 ? end + 1 : -1;
            if (colon < 0 && end != a.length() - 1) {
                throw new IllegalArgumentException("--statsd-host '" + address + "' is not HOST:PORT");
            }
        } else if (colon >= 0 && a.indexOf(':') != colon) {
            colon = -1; // a bare IPv6 address: no port
        } else if (colon >= 0) {
            host = a.substring(0, colon);
        }
        if (colon >= 0) {
            port = port(address, a.substring(colon + 1));
        }
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("--statsd-host '" + address + "' names no host (want HOST:PORT or unix:PATH)");
        }
        return new StatsdTarget(host, port, null, p, tagList);
    }

    private static int port(String address, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--statsd-host '" + address + "': bad port '" + text + "' (want 1-65535)");
    }

    /** The address as --statsd-host takes it back. */
    public String address() {
        if (unixPath != null) {
            return "unix:" + unixPath;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** --dogstatsd-tags as given back. */
    public String tagText() {
        return String.join(",", tags);
    }
}
