package dev.gunicornjvm.master.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.edge.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every PEM form and keystore people have, read into the PKCS#12 workers get; and each bad input in one line. */
class TlsKeysTest {
    @TempDir
    static Path dir;
    static Pki pki;
    static X509Certificate ecCert;
    static X509Certificate rsaCert;

    @BeforeAll
    static void makeKeys() throws Exception {
        pki = new Pki(dir);
        pki.ecKey("ec.key");
        pki.cert("ec.pem", "ec.key");
        pki.rsaKey("rsa.key");
        pki.cert("rsa.pem", "rsa.key");
        pki.openssl("pkey", "-in", "ec.key", "-traditional", "-out", "ec-sec1.key");
        pki.openssl("pkey", "-in", "rsa.key", "-traditional", "-out", "rsa-pkcs1.key");
        pki.openssl("rsa", "-in", "rsa.key", "-traditional", "-aes256", "-passout", "pass:s3cret", "-out", "rsa-pkcs1-enc.key");
        pki.openssl("pkcs8", "-topk8", "-in", "ec.key", "-v2", "aes-256-cbc", "-passout", "pass:s3cret", "-out", "ec-enc.key");
        pki.openssl("pkcs12", "-export", "-inkey", "ec.key", "-in", "ec.pem", "-certfile", "ca.pem", "-passout",
                "pass:s3cret", "-out", "ec.p12");
        ecCert = read("ec.pem");
        rsaCert = read("rsa.pem");
    }

    private static X509Certificate read(String pem) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(pem))) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static TlsConfig config(String cert, String key, String password) {
        return new TlsConfig(cert == null ? null : dir.resolve(cert), key == null ? null : dir.resolve(key), password,
                null, TlsSettings.ClientAuth.NONE, List.of(), "TLSv1.2");
    }

    /** Loads, writes the workers' PKCS#12 as a worker reads it, and returns the certificate it holds. */
    private static X509Certificate served(TlsConfig config) throws Exception {
        Path out = Files.createTempDirectory(dir, "out");
        TlsSettings written = config.writeFor(out, "worker-1-tls");
        Path p12 = Path.of(written.keyStore());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p12)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, written.password().toCharArray());
        }
        assertNotNull((PrivateKey) store.getKey(TlsKeys.ALIAS, written.password().toCharArray()));
        return (X509Certificate) store.getCertificate(TlsKeys.ALIAS);
    }

    private static String fails(TlsConfig config) {
        String message = assertThrows(IllegalArgumentException.class, config::load).getMessage();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    @Test
    void pkcs8() throws Exception {
        assertEquals(ecCert, served(config("ec.pem", "ec.key", null)));
        assertEquals(rsaCert, served(config("rsa.pem", "rsa.key", null)));
    }

    @Test
    void sec1AndPkcs1() throws Exception {
        assertTrue(Files.readString(dir.resolve("ec-sec1.key")).contains("BEGIN EC PRIVATE KEY"));
        assertEquals(ecCert, served(config("ec.pem", "ec-sec1.key", null)));
        assertTrue(Files.readString(dir.resolve("rsa-pkcs1.key")).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals(rsaCert, served(config("rsa.pem", "rsa-pkcs1.key", null)));
    }

    @Test
    void encryptedKeysWithTheirPassword() throws Exception {
        assertTrue(Files.readString(dir.resolve("ec-enc.key")).contains("BEGIN ENCRYPTED PRIVATE KEY"));
        assertEquals(ecCert, served(config("ec.pem", "ec-enc.key", "s3cret")));
        assertTrue(Files.readString(dir.resolve("rsa-pkcs1-enc.key")).contains("Proc-Type: 4,ENCRYPTED"));
        Path passwordFile = Files.writeString(dir.resolve("password"), "s3cret\nignored\n");
        assertEquals(rsaCert, served(config("rsa.pem", "rsa-pkcs1-enc.key", "file:" + passwordFile)));
    }

    @Test
    void keyAndCertificateInOneFile() throws Exception {
        pki.cat("both.pem", "ec.pem", "ec.key");
        assertEquals(ecCert, served(config("both.pem", null, null)), "--certfile alone, as load_cert_chain allows");
        pki.cat("key-first.pem", "ec-sec1.key", "ec.pem", "ca.pem");
        assertEquals(ecCert, served(config(null, "key-first.pem", null)), "--keyfile alone");
    }

    @Test
    void keystores() throws Exception {
        assertEquals(ecCert, served(config(null, "ec.p12", "s3cret")));
        Path jks = dir.resolve("ec.jks");
        if (!Files.exists(jks)) {
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-importkeystore", "-srckeystore", dir.resolve("ec.p12").toString(), "-srcstorepass", "s3cret",
                    "-destkeystore", jks.toString(), "-deststoretype", "JKS", "-deststorepass", "s3cret",
                    "-destkeypass", "s3cret", "-noprompt").redirectErrorStream(true).start();
            keytool.getInputStream().readAllBytes();
            assertEquals(0, keytool.waitFor());
        }
        assertEquals(ecCert, served(config(null, "ec.jks", "s3cret")));
    }

    @Test
    void wrongOrMissingPasswordsSaySo() {
        assertTrue(fails(config("ec.pem", "ec-enc.key", "wrong")).contains("ec-enc.key: wrong password"));
        assertTrue(fails(config("rsa.pem", "rsa-pkcs1-enc.key", "wrong")).contains("rsa-pkcs1-enc.key: wrong password"));
        assertTrue(fails(config(null, "ec.p12", "wrong")).contains("ec.p12: wrong keystore password"));
        assertTrue(fails(config("ec.pem", "ec-enc.key", null)).contains("the private key is encrypted (give its password"
                + " with --keyfile-password"));
        assertTrue(fails(config("ec.pem", "ec-enc.key", "env:NO_SUCH_VARIABLE_HERE")).contains("the variable is not set"));
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() {
        String message = fails(config("ec.pem", "rsa.key", null));
        assertTrue(message.startsWith("--keyfile " + dir.resolve("rsa.key") + ": the private key does not match the"
                + " certificate (CN=127.0.0.1) in --certfile " + dir.resolve("ec.pem")), message);
    }

    @Test
    void aChainOutOfOrderIsRefused() throws IOException {
        pki.cat("ca-first.pem", "ca.pem", "ec.pem");
        assertTrue(fails(config("ca-first.pem", "ec.key", null)).contains("the chain is in the wrong order: the key's"
                + " certificate (CN=127.0.0.1) is number 2 (put it first"));
        pki.cat("unrelated.pem", "ec.pem", "rsa.pem");
        assertTrue(fails(config("unrelated.pem", "ec.key", null)).contains("certificate 2 (CN=127.0.0.1) did not issue"
                + " certificate 1"));
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRefused() throws IOException {
        pki.cert("expired.pem", "ec.key", "/CN=127.0.0.1", "20200101000000Z", "20210101000000Z");
        assertTrue(fails(config("expired.pem", "ec.key", null)).endsWith("expired.pem: the certificate (CN=127.0.0.1)"
                + " expired on 2021-01-01 00:00:00 UTC (renew it)"));
        pki.cert("future.pem", "ec.key", "/CN=127.0.0.1", Pki.dateFromNow(3), Pki.dateFromNow(5));
        assertTrue(fails(config("future.pem", "ec.key", null)).contains("is not valid before"));
    }

    @Test
    void filesThatAreMissingEmptyOrSwappedAreNamed() throws IOException {
        assertTrue(fails(config("nope.pem", "ec.key", null)).endsWith("nope.pem: no such file (check the path)"));
        assertTrue(fails(config("ec.key", "ec.pem", null)).contains("are --certfile and --keyfile swapped?"));
        Files.writeString(dir.resolve("garbage.key"), "not a key\n");
        assertTrue(fails(config("ec.pem", "garbage.key", null)).contains("garbage.key: not a PEM key"));
        assertTrue(fails(config(null, "garbage.key", null)).contains("garbage.key: neither PEM nor a PKCS#12 or JKS"));
        assertTrue(fails(config("ec.pem", null, null)).contains("ec.pem: holds no private key (add --keyfile"));
        assertTrue(fails(config(null, "ec.key", null)).contains("ec.key: holds a key but no certificate"));
        assertTrue(fails(config("ec.pem", "ec.p12", "s3cret")).contains("keystore goes in --keyfile alone"));
    }

    @Test
    void caCertificatesMustHoldOne() {
        TlsConfig noCa = new TlsConfig(dir.resolve("ec.pem"), dir.resolve("ec.key"), null, dir.resolve("ec.key"),
                TlsSettings.ClientAuth.REQUIRED, List.of(), "TLSv1.2");
        assertTrue(fails(noCa).contains("--ca-certs " + dir.resolve("ec.key") + ": holds no certificate"));
    }

    @Test
    void unknownCipherSuitesAreNamed() {
        TlsConfig openSslNames = new TlsConfig(dir.resolve("ec.pem"), dir.resolve("ec.key"), null, null,
                TlsSettings.ClientAuth.NONE, List.of("TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"), "TLSv1.2");
        assertTrue(fails(openSslNames).startsWith("--ciphers: unknown to this JDK: ECDHE-RSA-AES128-GCM-SHA256 (use the"
                + " IANA names"));
        TlsConfig only12 = new TlsConfig(dir.resolve("ec.pem"), dir.resolve("ec.key"), null, null,
                TlsSettings.ClientAuth.NONE, List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), "TLSv1.3");
        assertTrue(fails(only12).contains("names only TLS 1.2 suites"));
    }
}
