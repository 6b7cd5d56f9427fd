package dev.gunicornjvm.master.metrics;

/**
 * Where the master serves its metrics and health answers (--metrics-bind HOST:PORT); port 0 takes any
 * free port, which the log then names.
 */
public record MetricsSettings(String host, int port) {
    public MetricsSettings {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("--metrics-bind needs a host (e.g. 127.0.0.1:9101)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--metrics-bind port " + port + " is not 0-65535");
        }
    }

    /** {@code HOST:PORT} or {@code [IPV6]:PORT}. */
    public static MetricsSettings parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--metrics-bind '" + text + "' is not HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new MetricsSettings(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics-bind '" + text + "' has no port number");
        }
    }

    /** As given: the option's value, for --print-config. */
    public String text() {
        return url(host, port).substring("http://".length());
    }

    static String url(String host, int port) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
