package dev.gunicornjvm.master.tls;

import dev.gunicornjvm.common.edge.TlsSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The TLS options as given (Gunicorn's certfile, keyfile, ca_certs, cert_reqs, ciphers, ssl_version,
 * plus the key's password). The files are read by {@link TlsKeys#load}, at start and at every reload,
 * so that a renewed certificate is picked up by HUP and a bad one refuses the reload.
 *
 * @param certFile        PEM certificate chain, leaf first (may hold the key too); null when keyFile has both
 * @param keyFile         PEM private key (may hold the chain too), or a PKCS#12/JKS keystore; null when
 *                        certFile holds the key, as Python's load_cert_chain allows
 * @param password        --keyfile-password as given (env:VAR, file:PATH or the password), or null
 * @param caCerts         PEM CA certificates for client certificates, or null
 * @param clientAuth      --cert-reqs
 * @param cipherSuites    --ciphers, IANA names; empty for the JDK's default
 * @param minimumProtocol TLSv1.2 or TLSv1.3
 */
public record TlsConfig(Path certFile, Path keyFile, String password, Path caCerts, TlsSettings.ClientAuth clientAuth,
                        List<String> cipherSuites, String minimumProtocol) {

    public TlsConfig {
        if (certFile == null && keyFile == null) {
            throw new IllegalArgumentException("TLS needs --certfile or --keyfile");
        }
        cipherSuites = List.copyOf(cipherSuites);
    }

    /** --ssl-version: TLSv1.2 or TLSv1.3, also in Gunicorn's spelling (TLSv1_2, TLS). */
    public static String minimumProtocol(String text) {
        switch (text.trim().toUpperCase(Locale.ROOT).replace('_', '.')) {
            case "TLSV1.2", "TLS", "TLS.SERVER", "1.2":
                return "TLSv1.2";
            case "TLSV1.3", "1.3":
                return "TLSv1.3";
            default:
                throw new IllegalArgumentException("--ssl-version '" + text + "' is not TLSv1.2 or TLSv1.3 (older"
                        + " versions are insecure and the JDK refuses them)");
        }
    }

    /**
     * Reads and checks the keys now.
     *
     * @throws IllegalArgumentException with one line saying what is wrong with which file and how to fix it
     */
    public TlsKeys load() {
        return TlsKeys.load(this);
    }

    /**
     * Reads the keys again, writes this generation's copy of them into {@code dir} (the master's private
     * directory), and logs the certificate its workers will show, so that a renewal can be seen in the log.
     *
     * @throws IOException also when the files changed since the settings were checked and are bad now
     */
    public TlsSettings writeFor(Path dir, String name) throws IOException {
        TlsKeys keys;
        try {
            keys = load();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        TlsSettings written = keys.write(dir, name, this);
        CertificateLog.served(keys.certificate(), java.time.Instant.now());
        return written;
    }
}
