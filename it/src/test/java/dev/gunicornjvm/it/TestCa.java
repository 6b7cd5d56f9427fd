package dev.gunicornjvm.it;

import dev.gunicornjvm.master.tls.Pki;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made for a test with the real {@code openssl} (3.0 or later) in a directory:
 * EC keys, certificates for 127.0.0.1 with chosen dates ({@code openssl ca} takes explicit ones, so an
 * expired certificate needs no fake clock), and the JDK client contexts that trust it.
 */
final class TestCa {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    final Path dir;
    /** The CA itself, shared with the master's TLS unit tests. */
    private final Pki pki;

    TestCa(Path dir) throws IOException {
        this.dir = dir;
        this.pki = new Pki(dir);
    }

    Path file(String name) {
        return pki.file(name);
    }

    /** An EC P-256 key (PKCS#8 PEM). */
    Path key(String name) throws IOException {
        return pki.ecKey(name);
    }

    /** A certificate of the key for 127.0.0.1, valid from yesterday for {@code days}. */
    Path cert(String name, String key, String subject, int days) throws IOException {
        return pki.cert(name, key, subject, Pki.dateFromNow(-1), Pki.dateFromNow(days));
    }

    Path cert(String name, String key, String subject, Instant start, Instant end) throws IOException {
        return pki.cert(name, key, subject, DATE.format(start), DATE.format(end));
    }

    /** A PKCS#12 keystore of a key and its certificate (and the CA), with this password. */
    Path p12(String name, String key, String cert, String password) throws IOException {
        openssl("pkcs12", "-export", "-inkey", key, "-in", cert, "-certfile", "ca.pem", "-passout", "pass:" + password,
                "-out", name);
        return file(name);
    }

    static BigInteger serial(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("cannot read " + pem + ": " + e, e);
        }
    }

    /** A client context that trusts this CA and shows the client certificate of the PKCS#12 file, if one is given. */
    SSLContext client(Path p12, String password) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(file("ca.pem"))) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (p12 != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(p12)) {
                    keys.load(in, password.toCharArray());
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("cannot make a client TLS context: " + e, e);
        }
    }

    /** Runs openssl in the directory; fails the test with its output unless it exits 0. */
    void openssl(String... args) throws IOException {
        pki.openssl(args);
    }

    /** Runs a command; returns its exit code and output (stderr included). */
    static Result run(List<String> command, Path dir) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " still running after 60 s");
            }
            if (command.get(0).equals("openssl") && p.exitValue() != 0) {
                throw new AssertionError(command + " failed:\n" + out);
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        } finally {
            p.destroyForcibly();
        }
    }

    record Result(int exit, String output) {
    }
}
