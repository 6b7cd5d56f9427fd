package dev.gunicornjvm.master.config;

/**
 * Checks one entry of --forwarded-allow-ips or --proxy-allow-from: {@code *}, an IP address, or a CIDR
 * range such as 10.0.0.0/8. Only literals: a host name would need a DNS lookup at every start and could
 * change under a running server.
 */
final class AddressPattern {
    private AddressPattern() {
    }

    static void check(String option, String entry) {
        if (entry.equals("*")) {
            return;
        }
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        boolean v6 = address.contains(":");
        if (address.isEmpty() || !address.matches(v6 ? "[0-9A-Fa-f:.]+" : "[0-9.]+")) {
            throw bad(option, entry);
        }
        try {
            java.net.InetAddress.getByName(address); // a literal: parsed, never looked up
        } catch (java.net.UnknownHostException e) {
            throw bad(option, entry);
        }
        if (!v6 && address.split("\\.", -1).length != 4) {
            throw bad(option, entry);
        }
        if (slash >= 0) {
            String bits = entry.substring(slash + 1);
            int max = v6 ? 128 : 32;
            if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > max) {
                throw bad(option, entry);
            }
        }
    }

    private static IllegalArgumentException bad(String option, String entry) {
        return new IllegalArgumentException(option + ": '" + entry + "' is not an IP address, a CIDR range or *"
                + " (e.g. 127.0.0.1,10.0.0.0/8,::1)");
    }
}
