package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS as Gunicorn has it, with keys made by openssl for this test: curl over https with the test CA,
 * client certificates (optional and required), a PKCS#12 keystore, --ciphers, workers of another user, a HUP that
 * renews the certificate under TLS load without a failed request, a HUP with a bad one that keeps the
 * old, and bad keys at start that stop the master in one line. One master serves most of it.
 */
class TlsTest {
    private static final String PASSWORD = "p12-s3cret";
    private static TestCa ca;
    /** The files the shared master is told about; the HUP test moves new ones over them. */
    private static Path certFile;
    private static Path keyFile;
    private static Gunicorn server;
    private static int httpsPort;

    @BeforeAll
    static void start() throws IOException {
        ca = new TestCa(Scratch.dir("tls-ca-"));
        ca.key("server.key");
        ca.cert("server.pem", "server.key", "/CN=127.0.0.1", 30);
        ca.key("client.key");
        ca.cert("client.pem", "client.key", "/CN=test client", 2);
        ca.p12("client.p12", "client.key", "client.pem", PASSWORD);
        Path live = Files.createDirectory(ca.dir.resolve("live"));
        certFile = Files.copy(ca.file("server.pem"), live.resolve("cert.pem"));
        keyFile = Files.copy(ca.file("server.key"), live.resolve("key.pem"));
        server = Gunicorn.start("-w", "2", "-b", "https://127.0.0.1:" + freePort(), "-b", "http://127.0.0.1:0", "--certfile",
                certFile.toString(), "--keyfile", keyFile.toString(), "--ca-certs", ca.file("ca.pem").toString(),
                "--cert-reqs", "optional", "--http-protocols", "h1,h2", "-cp", Gunicorn.FIXTURES.toString(),
                "fixtures.TlsInfoServlet");
        server.awaitServingWorkers(2); // over the plain bind
        httpsPort = httpsPort(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * A port for the https bind beside the plain one on port 0: two binds of 127.0.0.1:0 share one key in
     * the master's ListenerSet, and a reload would then serve both on one socket.
     */
    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int httpsPort(Gunicorn g) {
        return Integer.parseInt(g.awaitOutput("Listening at: https://127\\.0\\.0\\.1:(\\d+) ", Gunicorn.BOOT).group(1));
    }

    private static TestCa.Result curl(int port, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        command.addAll(List.of(options));
        command.add("https://127.0.0.1:" + port + "/");
        return TestCa.run(command, ca.dir);
    }

    @Test
    void curlWithTheTestCaGetsHttpsAndTheAppSeesIt() throws IOException {
        List<Long> workers = server.workers();
        TestCa.Result h1 = curl(httpsPort, "--cacert", "ca.pem", "--http1.1");
        assertEquals(0, h1.exit(), h1.output());
        assertTrue(h1.output().startsWith("scheme=https secure=true client=none protocol=HTTP/1.1 worker "), h1.output());
        TestCa.Result h2 = curl(httpsPort, "--cacert", "ca.pem", "--http2");
        assertTrue(h2.output().contains("protocol=HTTP/2.0"), "h2 by ALPN: " + h2.output());
        TestCa.Result untrusted = curl(httpsPort);
        assertEquals(60, untrusted.exit(), "a client without the test CA refuses the certificate: " + untrusted.output());

        // Plain HTTP to the TLS port, and TLS garbage: the connection fails, no worker does.
        assertFalse(Http.raw(httpsPort, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").contains(" 200 "));
        try (Socket s = new Socket("127.0.0.1", httpsPort)) {
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5});
            s.setSoTimeout(10_000);
            s.getInputStream().readAllBytes();
        }
        assertEquals(0, curl(httpsPort, "--cacert", "ca.pem").exit());
        assertEquals(workers, server.workers());
    }

    @Test
    void aClientCertificateReachesTheApp() throws IOException {
        TestCa.Result r = curl(httpsPort, "--cacert", "ca.pem", "--cert", "client.pem", "--key", "client.key");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("client=CN=test client "), r.output());
    }

    /**
     * certbot's renewal: new files in place, then HUP. TLS clients, on kept-alive and on new connections,
     * see no failure; the new generation shows the new certificate; the old generation's copy of the
     * keys goes with it. A HUP with a key that is not the certificate's is refused and the renewed
     * certificate stays.
     */
    @Test
    void hupRenewsTheCertificateUnderTlsLoadAndRefusesABadOne() throws Exception {
        BigInteger first = served(httpsPort);
        assertEquals(TestCa.serial(certFile), first);
        ca.key("renewed.key");
        ca.cert("renewed.pem", "renewed.key", "/CN=127.0.0.1", 30);
        BigInteger renewed = TestCa.serial(ca.file("renewed.pem"));
        Path runtimeDir = runtimeDir(server);
        int generation = generations(server);
        try (TlsLoad load = new TlsLoad(httpsPort, 4)) {
            replace(keyFile, ca.file("renewed.key"));
            replace(certFile, ca.file("renewed.pem"));
            server.signal("HUP");
            server.awaitOutput("Generation " + (generation + 1) + " is serving; generation " + generation + " retired",
                    Gunicorn.BOOT);
            load.awaitMore(50);
            assertEquals(renewed, served(httpsPort), "the new workers show the renewed certificate");
            server.awaitOutput("\\[INFO\\] TLS certificate CN=127.0.0.1 \\(serial " + renewed.toString(16) + "\\) valid until ",
                    Duration.ofSeconds(5));
            Path keys = runtimeDir.resolve("worker-" + (generation + 1) + "-tls.p12");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtimeDir)));
            String argFile = Files.readString(runtimeDir.resolve("worker-" + (generation + 1) + ".args"));
            assertFalse(argFile.contains("bcprov") || argFile.contains("bcpkix"), "BouncyCastle is the master's: " + argFile);
            Path old = runtimeDir.resolve("worker-" + generation + "-tls.p12");
            Wait.until(old + " to be removed with its generation", Duration.ofSeconds(10), () -> !Files.exists(old));

            replace(keyFile, ca.file("server.key"));
            server.signal("HUP");
            server.awaitOutput(java.util.regex.Pattern.quote("[ERROR] Reload failed, keeping the running configuration:"
                    + " --keyfile " + keyFile + ": the private key does not match the certificate (CN=127.0.0.1) in"
                    + " --certfile " + certFile), Duration.ofSeconds(30));
            load.awaitMore(50);
            assertEquals(renewed, served(httpsPort), "the renewed certificate stays");
            assertFalse(server.output().contains("Reloading: generation " + (generation + 2)), server.output());
            load.stop();
            assertEquals(List.of(), load.failures(), "requests failed around the HUPs (" + load.ok() + " succeeded)");
            System.out.println("TLS load across a renewing and a refused HUP: " + load.ok() + " requests, 0 failed");
        } finally {
            replace(keyFile, ca.file("renewed.key"));
        }
    }

    /**
     * A PKCS#12 keystore whose password comes from the environment, client certificates required, and
     * (as root) workers of another user, who read the master's 0600 copy of the keys before they drop
     * privileges. A client without a certificate, or with an expired one, is refused; no worker dies.
     */
    @Test
    void keystoreAndRequiredClientCertificatesWithWorkersOfAnotherUser() throws Exception {
        ca.p12("server.p12", "server.key", "server.pem", PASSWORD);
        ca.cert("expired-client.pem", "client.key", "/CN=expired client", Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2021-01-01T00:00:00Z"));
        boolean root = Root.uid(Path.of("/proc/self")) == 0;
        Path install = root ? Installation.copy() : null;
        ThrowawayUser user = root ? ThrowawayUser.create() : null;
        List<String> args = new ArrayList<>(List.of("-w", "1", "-b", "https://127.0.0.1:" + freePort(), "-b", "http://127.0.0.1:0",
                "--keyfile", ca.file("server.p12").toString(), "--keyfile-password", "env:TEST_TLS_PASSWORD",
                "--ca-certs", ca.file("ca.pem").toString(), "--cert-reqs", "required",
                // One suite Jetty would exclude by itself (a SHA-1 MAC): named, it is offered.
                "--ciphers", "TLS_AES_256_GCM_SHA384:TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"));
        if (root) {
            Files.copy(Gunicorn.HELLO_JAR, install.resolve("hello.jar"));
            args.addAll(List.of("-u", user.name, "-cp", install.resolve("hello.jar").toString(), Gunicorn.HELLO));
        } else {
            args.addAll(List.of("-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO));
        }
        try (Gunicorn g = Gunicorn.startWith(root ? install.resolve("bin/gunicorn") : Gunicorn.HOME.resolve("bin/gunicorn"),
                Map.of("TEST_TLS_PASSWORD", PASSWORD), args.toArray(String[]::new))) {
            long worker = g.awaitServingWorkers(1).get(0);
            int port = httpsPort(g);
            TestCa.Result without = curl(port, "--cacert", "ca.pem");
            assertNotEquals(0, without.exit(), "no client certificate: refused: " + without.output());
            TestCa.Result expired = curl(port, "--cacert", "ca.pem", "--cert", "expired-client.pem", "--key", "client.key");
            assertNotEquals(0, expired.exit(), "an expired client certificate: refused: " + expired.output());
            TestCa.Result with = curl(port, "--cacert", "ca.pem", "--cert", "client.pem", "--key", "client.key");
            assertEquals(0, with.exit(), with.output());
            assertTrue(with.output().startsWith("Hello from worker " + worker + " "), with.output());
            SSLContext client = ca.client(ca.file("client.p12"), PASSWORD);
            assertEquals("TLS_AES_256_GCM_SHA384", session(port, client, null).getCipherSuite());
            javax.net.ssl.SSLSession tls12 = session(port, client, "TLSv1.2");
            assertEquals("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", tls12.getCipherSuite());
            assertEquals(TestCa.serial(ca.file("server.pem")),
                    ((X509Certificate) tls12.getPeerCertificates()[0]).getSerialNumber());
            assertEquals(List.of(worker), g.workers(), "refused clients kill no worker");
            if (root) {
                Path keys = runtimeDir(g).resolve("worker-1-tls.p12");
                assertEquals(0, Root.uid(keys), "the keys stay the master's user's");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
                assertEquals(user.uid, Root.uid(Path.of("/proc", Long.toString(worker))), "the worker runs as " + user.name);
            }
        } finally {
            if (user != null) {
                user.close();
            }
            if (install != null) {
                Root.deleteTree(install);
            }
        }
    }

    @Test
    void badKeysStopTheStartInOneLine() throws Exception {
        ca.openssl("pkcs8", "-topk8", "-in", "server.key", "-v2", "aes-256-cbc", "-passout", "pass:right", "-out",
                "server-enc.key");
        ca.cert("expired.pem", "server.key", "/CN=127.0.0.1", Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2021-01-01T00:00:00Z"));
        assertRefused("--keyfile " + ca.file("server-enc.key") + ": wrong password for the encrypted key (check"
                + " --keyfile-password)", "server.pem", "server-enc.key", "--keyfile-password", "wrong");
        assertRefused("--keyfile " + ca.file("client.key") + ": the private key does not match the certificate"
                + " (CN=127.0.0.1) in --certfile " + ca.file("server.pem") + " (give the key the certificate was made for)",
                "server.pem", "client.key");
        assertRefused("--certfile " + ca.file("expired.pem") + ": the certificate (CN=127.0.0.1) expired on"
                + " 2021-01-01 00:00:00 UTC (renew it)", "expired.pem", "server.key");
    }

    private static void assertRefused(String message, String cert, String key, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("-b", "https://127.0.0.1:0", "--certfile", ca.file(cert).toString(),
                "--keyfile", ca.file(key).toString()));
        args.addAll(List.of(extra));
        args.addAll(List.of("-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO));
        try (Gunicorn g = Gunicorn.start(args.toArray(String[]::new))) {
            assertEquals(2, g.awaitExit(Duration.ofSeconds(30)), g.output());
            List<String> errors = g.output().lines().filter(l -> l.contains("Error")).toList();
            assertEquals(List.of("Error: " + message), errors, g.output());
            g.awaitAllGone(Duration.ofSeconds(10));
        }
    }

    /** The serial number of the certificate a new TLS connection is shown. */
    private static BigInteger served(int port) throws IOException {
        return ((X509Certificate) session(port, ca.client(null, null), null).getPeerCertificates()[0]).getSerialNumber();
    }

    /** The session of a new TLS connection, with only this protocol enabled if one is given. */
    private static javax.net.ssl.SSLSession session(int port, SSLContext context, String protocol) throws IOException {
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            if (protocol != null) {
                s.setEnabledProtocols(new String[] {protocol});
            }
            s.startHandshake();
            return s.getSession();
        }
    }

    /** A new file moved over the old one, as certbot and deploy tools do: readers see the old or the new. */
    private static void replace(Path target, Path source) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path runtimeDir(Gunicorn g) throws IOException {
        try (Stream<Path> dirs = Files.list(g.tmpdir())) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("gunicorn-jvm-" + g.pid() + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no runtime directory of " + g.pid() + " in " + g.tmpdir()));
        }
    }

    private static int generations(Gunicorn g) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Generation (\\d+) is serving").matcher(g.output());
        int last = 1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    /**
     * TLS clients in a loop until stopped: half on kept-alive connections (the JDK's HttpClient), half
     * with a new connection and handshake per request. Every answer but a 200 is a failure.
     */
    private static final class TlsLoad implements AutoCloseable {
        private final AtomicLong ok = new AtomicLong();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        private volatile boolean running = true;

        TlsLoad(int port, int clients) {
            SSLContext context = ca.client(null, null);
            HttpClient client = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < clients; i++) {
                boolean keepAlive = i % 2 == 0;
                Thread t = new Thread(() -> {
                    while (running && System.nanoTime() - deadline < 0) {
                        try {
                            String reply = keepAlive ? keptAlive(client, port) : newConnection(context, port);
                            if (reply.contains("scheme=https")) {
                                ok.incrementAndGet();
                            } else {
                                failures.add(reply);
                            }
                        } catch (IOException | RuntimeException e) {
                            failures.add((keepAlive ? "keep-alive: " : "new connection: ") + e);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "tls-load-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            awaitMore(10);
        }

        private static String keptAlive(HttpClient client, int port) throws IOException, InterruptedException {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "status " + r.statusCode();
        }

        private static String newConnection(SSLContext context, int port) throws IOException {
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = s.getInputStream();
                    String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    return reply.startsWith("HTTP/1.1 200 ") ? reply : reply.lines().findFirst().orElse("no answer");
                }
            }
        }

        void awaitMore(long more) {
            long target = ok.get() + more;
            try {
                Wait.until(more + " more successful TLS requests", Duration.ofSeconds(30), () -> ok.get() >= target);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " (failures: " + failures + ") in:\n" + server.output(), e);
            }
        }

        long ok() {
            return ok.get();
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(35_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
