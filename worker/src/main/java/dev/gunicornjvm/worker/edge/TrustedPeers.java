package dev.gunicornjvm.worker.edge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.SocketAddress;
import java.util.List;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The peers named by --forwarded-allow-ips or --proxy-allow-from: IP addresses and CIDR ranges (the
 * master has checked them), or {@code *} for everyone, matched with Jetty's {@link InetAddressSet}.
 *
 * <p>A peer on a Unix-domain socket has no address and is always trusted, as Gunicorn does: only a
 * process on this machine with write permission on the socket file can connect, which is the same
 * trust as a front end on 127.0.0.1 (nginx → {@code unix:/run/app.sock} needs no option).
 */
final class TrustedPeers {
    private final boolean everyone;
    private final InetAddressSet addresses = new InetAddressSet();
    private final String spec;

    TrustedPeers(List<String> entries) {
        this.everyone = entries.contains("*");
        entries.stream().filter(e -> !e.equals("*")).forEach(addresses::add);
        this.spec = String.join(",", entries);
    }

    /** True if {@code peer}, a connection's remote address, is one of these (or a Unix-socket peer). */
    boolean trusts(SocketAddress peer) {
        if (everyone || !(peer instanceof InetSocketAddress inet)) {
            return true;
        }
        return inet.getAddress() != null && addresses.test(inet.getAddress());
    }

    /**
     * True if {@code host}, an entry of an X-Forwarded-For chain (an IP address, perhaps in brackets),
     * is one of these. Anything else, such as "unknown" or a host name, is not: names are never looked up.
     */
    boolean trustsAddress(String host) {
        if (everyone) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (literal.isEmpty() || !literal.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            return addresses.test(InetAddress.getByName(literal)); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A peer as the logs show it: 10.0.0.7, or unix for a Unix-socket peer. */
    static String describe(SocketAddress peer) {
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        if (peer instanceof InetSocketAddress) {
            return peer.toString();
        }
        return peer == null ? "an unknown peer" : "unix";
    }

    @Override
    public String toString() {
        return spec;
    }
}
