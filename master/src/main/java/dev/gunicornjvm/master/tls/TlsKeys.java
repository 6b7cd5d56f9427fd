package dev.gunicornjvm.master.tls;

import dev.gunicornjvm.common.edge.TlsSettings;
import dev.gunicornjvm.common.posix.OwnerOnlyFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;

/**
 * The keys of the TLS listeners, read and checked: one private key with its certificate chain, and the
 * CAs that client certificates must chain to. Workers get them as PKCS#12 files that only the master's
 * user can read, with a password made up for each generation.
 */
public final class TlsKeys {
    static final String ALIAS = "gunicorn";
    private final KeyStore keyStore;
    private final KeyStore trustStore;
    private final X509Certificate certificate;

    private TlsKeys(KeyStore keyStore, KeyStore trustStore, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.certificate = certificate;
    }

    /** Reads the keys the options name and checks them. @throws IllegalArgumentException with one line */
    static TlsKeys load(TlsConfig config) {
        Ciphers.check(config.cipherSuites(), config.minimumProtocol());
        char[] password = Passwords.resolve(config.password());
        KeyMaterial material = KeyStores.read(config.certFile(), config.keyFile(), password);
        CertificateChecks.check(material, Instant.now());
        KeyStore trust = config.caCerts() == null ? null : KeyStores.trust(config.caCerts());
        return new TlsKeys(KeyStores.single(material), trust, material.chain().get(0));
    }

    /** The certificate the workers will show. */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Writes name.p12 (and name-ca.p12) into dir, readable by this user only: made 0600 before a byte is
     * written, in the master's 0700 runtime directory. Workers read them before they drop privileges.
     */
    TlsSettings write(Path dir, String name, TlsConfig config) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path keyFile = dir.resolve(name + ".p12");
        store(keyStore, keyFile, password);
        Path trustFile = null;
        if (trustStore != null) {
            trustFile = dir.resolve(name + "-ca.p12");
            store(trustStore, trustFile, password);
        }
        return new TlsSettings(keyFile.toString(), password, trustFile == null ? null : trustFile.toString(),
                config.clientAuth(), config.cipherSuites(), config.minimumProtocol());
    }

    private static void store(KeyStore store, Path file, String password) throws IOException {
        try (OutputStream out = OwnerOnlyFile.create(file)) {
            KeyStore copy = KeyStore.getInstance("PKCS12");
            copy.load(null, null);
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    copy.setKeyEntry(alias, store.getKey(alias, KeyStores.ENTRY_PASSWORD), password.toCharArray(),
                            store.getCertificateChain(alias));
                } else {
                    copy.setCertificateEntry(alias, store.getCertificate(alias));
                }
            }
            copy.store(out, password.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the TLS keys for workers: " + e.getMessage(), e);
        }
    }
}
