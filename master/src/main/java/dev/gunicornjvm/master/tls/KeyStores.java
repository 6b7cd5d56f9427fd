package dev.gunicornjvm.master.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;

/** Reads the operator's key and certificates into in-memory keystores. */
final class KeyStores {
    /** The password of key entries inside the in-memory keystores; never written anywhere. */
    static final char[] ENTRY_PASSWORD = "in-memory".toCharArray();

    private KeyStores() {
    }

    /** A PKCS#12 or JKS keystore holding one private key and its chain. */
    static KeyStore fromKeystore(Path file, char[] password) {
        try {
            KeyStore source = KeyStore.getInstance(file.toFile(), password == null ? new char[0] : password);
            for (String alias : Collections.list(source.aliases())) {
                if (source.isKeyEntry(alias)) {
                    return single((PrivateKey) source.getKey(alias, password == null ? new char[0] : password),
                            source.getCertificateChain(alias));
                }
            }
            throw new IllegalArgumentException("--keyfile " + file + ": the keystore holds no private key");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--keyfile " + file + ": cannot read the keystore: " + e.getMessage());
        }
    }

    /** A PEM chain and a PEM private key (PKCS#8). */
    static KeyStore fromPem(Path certFile, Path keyFile, char[] password) {
        Certificate[] chain = certificates("--certfile", certFile).toArray(Certificate[]::new);
        try {
            String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
            String body = pem.replaceAll("(?s).*-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----.*", "$1");
            byte[] der = Base64.getMimeDecoder().decode(body);
            PrivateKey key = KeyFactory.getInstance(chain[0].getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
            return single(key, chain);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--keyfile " + keyFile + ": cannot read the private key: " + e.getMessage());
        }
    }

    /** The CA certificates client certificates must chain to. */
    static KeyStore trustFromPem(Path caFile) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates("--ca-certs", caFile)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--ca-certs " + caFile + ": " + e.getMessage());
        }
    }

    static Collection<? extends Certificate> certificates(String option, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(option + " " + file + ": no certificate in it (want PEM)");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read certificates: " + e.getMessage());
        }
    }

    private static KeyStore single(PrivateKey key, Certificate[] chain) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(TlsKeys.ALIAS, key, ENTRY_PASSWORD, chain);
        return store;
    }
}
