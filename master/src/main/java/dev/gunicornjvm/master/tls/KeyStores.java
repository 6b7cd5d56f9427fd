package dev.gunicornjvm.master.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Reads the operator's key and certificates, in whichever way Gunicorn (Python's load_cert_chain)
 * accepts them, plus keystores: --certfile and --keyfile as two PEM files; --certfile alone holding the
 * key too; --keyfile alone, a PEM file with both or a PKCS#12/JKS keystore.
 */
final class KeyStores {
    /** The password of key entries inside the in-memory keystores; never written anywhere. */
    static final char[] ENTRY_PASSWORD = "in-memory".toCharArray();

    private KeyStores() {
    }

    /** The key and its chain the options name. @throws IllegalArgumentException with one line */
    static KeyMaterial read(Path certFile, Path keyFile, char[] password) {
        if (keyFile == null) {
            PemFile both = pem("--certfile", certFile, password);
            if (both.key() == null) {
                throw new IllegalArgumentException("--certfile " + certFile + ": holds no private key (add --keyfile"
                        + " with the key, or append the key to the file)");
            }
            return withChain(both, "--certfile " + certFile, "--certfile " + certFile);
        }
        byte[] keyContent = TlsFiles.read("--keyfile", keyFile);
        if (!TlsFiles.isPem(keyContent)) {
            if (certFile != null) {
                throw new IllegalArgumentException("--keyfile " + keyFile + ": not a PEM key (no -----BEGIN line;"
                        + " a PKCS#12 or JKS keystore goes in --keyfile alone, without --certfile)");
            }
            return fromKeystore(keyFile, keyContent, password);
        }
        PemFile key = PemFile.read("--keyfile", keyFile, keyContent, password);
        if (certFile == null) {
            if (key.key() == null) {
                throw new IllegalArgumentException("--keyfile " + keyFile + ": holds no private key (want a PEM"
                        + " PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)");
            }
            return withChain(key, "--keyfile " + keyFile, "--keyfile " + keyFile);
        }
        PemFile certs = pem("--certfile", certFile, password);
        if (key.key() == null) {
            throw new IllegalArgumentException("--keyfile " + keyFile + ": holds no private key" + (certs.key() != null
                    ? " (--certfile holds one: are --certfile and --keyfile swapped?)"
                    : " (want a PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)"));
        }
        if (certs.certificates().isEmpty()) {
            throw new IllegalArgumentException("--certfile " + certFile + ": holds no certificate" + (key.certificates()
                    .isEmpty() ? " (want PEM CERTIFICATE blocks, leaf first)" : " (--keyfile holds them: are --certfile"
                    + " and --keyfile swapped?)"));
        }
        return new KeyMaterial(key.key(), certs.certificates(), "--keyfile " + keyFile, "--certfile " + certFile);
    }

    private static PemFile pem(String option, Path file, char[] password) {
        byte[] content = TlsFiles.read(option, file);
        if (!TlsFiles.isPem(content)) {
            throw new IllegalArgumentException(option + " " + file + ": not PEM (no -----BEGIN line; a keystore goes"
                    + " in --keyfile, alone)");
        }
        return PemFile.read(option, file, content, password);
    }

    private static KeyMaterial withChain(PemFile file, String keyOrigin, String certOrigin) {
        if (file.certificates().isEmpty()) {
            throw new IllegalArgumentException(certOrigin + ": holds a key but no"
                    + " certificate (add --certfile with the certificate chain, or append it to the file)");
        }
        return new KeyMaterial(file.key(), file.certificates(), keyOrigin, certOrigin);
    }

    /** A PKCS#12 or JKS keystore holding one private key and its chain. */
    private static KeyMaterial fromKeystore(Path file, byte[] content, char[] given) {
        String where = "--keyfile " + file;
        char[] password = given == null ? new char[0] : given;
        KeyStore source;
        try {
            source = KeyStore.getInstance(isJks(content) ? "JKS" : "PKCS12");
            source.load(new ByteArrayInputStream(content), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new IllegalArgumentException(where + ": wrong keystore password (check --keyfile-password)");
            }
            throw new IllegalArgumentException(where + ": neither PEM nor a PKCS#12 or JKS keystore (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + ": cannot read the keystore (" + e.getMessage() + ")");
        }
        try {
            List<String> keys = Collections.list(source.aliases()).stream().filter(a -> isKey(source, a)).toList();
            if (keys.isEmpty()) {
                throw new IllegalArgumentException(where + ": the keystore holds no private key");
            }
            if (keys.size() > 1) {
                throw new IllegalArgumentException(where + ": the keystore holds " + keys.size() + " private keys "
                        + keys + " (keep only the server's)");
            }
            PrivateKey key = (PrivateKey) source.getKey(keys.get(0), password);
            Certificate[] chain = source.getCertificateChain(keys.get(0));
            return new KeyMaterial(key, x509(chain == null ? List.of() : Arrays.asList(chain)), where, where);
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException(where + ": wrong password for the key in the keystore (check"
                    + " --keyfile-password; the key's password must be the keystore's)");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + ": cannot read the keystore (" + e.getMessage() + ")");
        }
    }

    private static boolean isJks(byte[] content) {
        return content.length > 4 && (content[0] & 0xff) == 0xfe && (content[1] & 0xff) == 0xed
                && (content[2] & 0xff) == 0xfe && (content[3] & 0xff) == 0xed;
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The CA certificates client certificates must chain to (--ca-certs): PEM, or DER. */
    static KeyStore trust(Path caFile) {
        byte[] content = TlsFiles.read("--ca-certs", caFile);
        List<X509Certificate> cas;
        if (TlsFiles.isPem(content)) {
            cas = PemFile.read("--ca-certs", caFile, content, null).certificates();
        } else {
            try {
                cas = x509(CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(content)));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("--ca-certs " + caFile + ": neither PEM nor DER certificates ("
                        + e.getMessage() + ")");
            }
        }
        if (cas.isEmpty()) {
            throw new IllegalArgumentException("--ca-certs " + caFile + ": holds no certificate (want the PEM"
                    + " certificates of the CAs that sign client certificates)");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot hold the CA certificates: " + e.getMessage(), e);
        }
    }

    /** An in-memory PKCS#12 keystore with the one key and its chain. */
    static KeyStore single(KeyMaterial material) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(TlsKeys.ALIAS, material.key(), ENTRY_PASSWORD, material.chain().toArray(Certificate[]::new));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(material.keyOrigin() + ": cannot keep the key (" + e.getMessage() + ")");
        }
    }

    private static List<X509Certificate> x509(Collection<? extends Certificate> certificates) {
        List<X509Certificate> list = new ArrayList<>();
        for (Certificate c : certificates) {
            if (c instanceof X509Certificate x) {
                list.add(x);
            }
        }
        return list;
    }
}
