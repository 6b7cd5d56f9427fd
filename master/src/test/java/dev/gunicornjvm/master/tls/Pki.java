package dev.gunicornjvm.master.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA in a directory, made with the real {@code openssl} (3.0 or later): keys in the forms
 * people have, certificates with chosen dates (through {@code openssl ca}, which takes explicit ones).
 */
public final class Pki {
    private final Path dir;

    public Pki(Path dir) throws IOException {
        this.dir = dir;
        Files.writeString(dir.resolve("ca.cnf"), String.join("\n", "[ ca ]", "default_ca = CA_default",
                "[ CA_default ]", "database = index.txt", "new_certs_dir = .", "serial = serial", "default_md = sha256",
                "policy = policy_any", "unique_subject = no", "copy_extensions = copy", "[ policy_any ]",
                "commonName = supplied", ""));
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "1000\n");
        ecKey("ca.key");
        openssl("req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=Test CA", "-days", "2", "-out", "ca.pem",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=keyCertSign,cRLSign");
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** An EC P-256 key, PKCS#8 ("PRIVATE KEY"). */
    public Path ecKey(String name) throws IOException {
        return openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name).resolve(name);
    }

    /** An RSA 2048 key, PKCS#8. */
    public Path rsaKey(String name) throws IOException {
        return openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name).resolve(name);
    }

    /** A certificate for 127.0.0.1 of this key, signed by the CA, valid for two days from yesterday. */
    public Path cert(String name, String key) throws IOException {
        return cert(name, key, "/CN=127.0.0.1", dateFromNow(-1), dateFromNow(2));
    }

    /**
     * A certificate signed by the CA with these dates.
     *
     * @param start openssl's YYYYMMDDHHMMSSZ
     */
    public Path cert(String name, String key, String subject, String start, String end) throws IOException {
        openssl("req", "-new", "-key", key, "-subj", subject, "-addext", "subjectAltName=IP:127.0.0.1", "-out", name + ".csr");
        openssl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", name + ".csr",
                "-out", name, "-startdate", start, "-enddate", end, "-notext");
        return dir.resolve(name);
    }

    public static String dateFromNow(int days) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now().plus(java.time.Duration.ofDays(days)));
    }

    /** Concatenates files into a new one (a chain, a key with its certificate). */
    public Path cat(String name, String... files) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String f : files) {
            text.append(Files.readString(dir.resolve(f)));
        }
        return Files.writeString(dir.resolve(name), text);
    }

    /** Runs openssl in the directory; fails the test with its output unless it exits 0. */
    public Path openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "openssl", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError(command + " failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        } finally {
            Files.deleteIfExists(log);
        }
        return dir;
    }
}
