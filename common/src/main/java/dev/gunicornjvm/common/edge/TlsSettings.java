package dev.gunicornjvm.common.edge;

import java.util.List;
import java.util.Objects;

/**
 * A worker's TLS keys and rules. The master reads the operator's certificate and key (PEM or a
 * keystore), checks them, and writes them for each generation as a PKCS#12 keystore only its own user
 * can read; the worker loads it before it drops privileges.
 *
 * @param keyStore         the PKCS#12 file with the key and its certificate chain
 * @param password         the keystore's password (made up by the master for this generation)
 * @param trustStore       a PKCS#12 file of the CA certificates that client certificates must chain to
 *                         (--ca-certs), or null
 * @param clientAuth       none, optional or required (--cert-reqs)
 * @param cipherSuites     the cipher suites allowed (--ciphers), by their IANA names; empty for the JDK's
 * @param minimumProtocol  the oldest TLS version accepted (--ssl-version), e.g. TLSv1.2
 */
public record TlsSettings(String keyStore, String password, String trustStore, ClientAuth clientAuth,
                          List<String> cipherSuites, String minimumProtocol) {

    /** Gunicorn's cert_reqs: ssl.CERT_NONE (0), CERT_OPTIONAL (1), CERT_REQUIRED (2). */
    public enum ClientAuth {
        NONE, OPTIONAL, REQUIRED;

        /** {@code none|optional|required}, or Gunicorn's numbers 0, 1, 2. */
        public static ClientAuth parse(String text) {
            switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "none", "0", "cert_none":
                    return NONE;
                case "optional", "1", "cert_optional":
                    return OPTIONAL;
                case "required", "2", "cert_required":
                    return REQUIRED;
                default:
                    throw new IllegalArgumentException("--cert-reqs '" + text + "' is not none, optional or required"
                            + " (or Gunicorn's 0, 1, 2)");
            }
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public TlsSettings {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(clientAuth, "clientAuth");
        cipherSuites = List.copyOf(cipherSuites);
        Objects.requireNonNull(minimumProtocol, "minimumProtocol");
    }
}
