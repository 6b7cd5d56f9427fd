package dev.gunicornjvm.master.tls;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** --ciphers checked against the suites the JDK's TLS supports, so that a typo stops the start, not every handshake. */
final class Ciphers {
    private Ciphers() {
    }

    static void check(List<String> suites, String minimumProtocol) {
        if (suites.isEmpty()) {
            return;
        }
        Set<String> supported;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS is unavailable: " + e.getMessage(), e);
        }
        List<String> unknown = suites.stream().filter(s -> !supported.contains(s)).toList();
        if (!unknown.isEmpty()) {
            boolean openSsl = unknown.stream().anyMatch(s -> s.contains("-") || !s.startsWith("TLS_"));
            throw new IllegalArgumentException("--ciphers: unknown to this JDK: " + String.join(", ", unknown)
                    + (openSsl ? " (use the IANA names, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 for OpenSSL's"
                    + " ECDHE-RSA-AES128-GCM-SHA256)" : " (see the JDK's list of cipher suite names)"));
        }
        // TLS 1.3 suites are the ones without a key exchange in their name (TLS_AES_128_GCM_SHA256).
        if (minimumProtocol.equals("TLSv1.3") && suites.stream().allMatch(s -> s.contains("_WITH_"))) {
            throw new IllegalArgumentException("--ciphers names only TLS 1.2 suites but --ssl-version is TLSv1.3 (add"
                    + " TLS_AES_128_GCM_SHA256 or TLS_AES_256_GCM_SHA384, or accept TLSv1.2)");
        }
    }
}
