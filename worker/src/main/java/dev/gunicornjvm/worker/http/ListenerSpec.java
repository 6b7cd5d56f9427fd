package dev.gunicornjvm.worker.http;

import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/**
 * One listener as the master describes it to a worker: {@code FAMILY[+tls],URL}, e.g.
 * {@code inet,http://127.0.0.1:8000} or {@code inet+tls,https://127.0.0.1:8443}. The n-th spec is the
 * listener at fd 3 + n.
 */
public record ListenerSpec(ProtocolFamily family, String url, boolean tls) {
    public static ListenerSpec parse(String text) {
        int comma = text.indexOf(',');
        if (comma < 0) {
            throw new IllegalArgumentException("bad --listener '" + text + "' (want FAMILY,URL)");
        }
        String name = text.substring(0, comma);
        boolean tls = name.endsWith("+tls");
        ProtocolFamily family = switch (tls ? name.substring(0, name.length() - "+tls".length()) : name) {
            case "inet" -> StandardProtocolFamily.INET;
            case "inet6" -> StandardProtocolFamily.INET6;
            case "unix" -> StandardProtocolFamily.UNIX;
            default -> throw new IllegalArgumentException("bad listener family in '" + text + "'");
        };
        return new ListenerSpec(family, text.substring(comma + 1), tls);
    }

    public boolean tcp() {
        return family != StandardProtocolFamily.UNIX;
    }
}
