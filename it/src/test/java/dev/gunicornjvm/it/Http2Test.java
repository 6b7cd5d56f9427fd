package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * HTTP/2 with {@code --http-protocols h1,h2}, driven with curl (libnghttp2): h2 over TLS by ALPN, h2c by
 * prior knowledge and by Upgrade, HTTP/1.1 beside them on the same binds, Gunicorn's request limits on h2
 * streams, h2 requests counted for --max-requests, and graceful drains (HUP, then QUIT) that send GOAWAY
 * and let the streams in flight finish. One master for the whole class; the QUIT is last.
 *
 * <p>--keep-alive is long (60 s) so that only a GOAWAY, not the idle timeout, can end an idle h2
 * connection within the waits here.
 */
@Tag("signals")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Http2Test {
    private static final Duration CURL = Duration.ofSeconds(30);
    /** The raw client's preface: the connection preface and an empty SETTINGS frame (RFC 9113, 3.4). */
    private static final byte[] PREFACE = concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
    private static final int GOAWAY = 7;
    private static final int MAX_REQUESTS = 40;

    private static Gunicorn server;
    private static int tlsPort;
    private static final List<Process> curls = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path keystore = Scratch.dir("h2-keys-").resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.2,dns:localhost", "-validity", "30", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "h2-test-pass", "-keypass", "h2-test-pass")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
                "keytool made a key: " + new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        server = Gunicorn.start("-w", "1", "--threads", "8", "--keep-alive", "60", "--http-protocols", "h1,h2",
                "--max-requests", Integer.toString(MAX_REQUESTS),
                // Another loopback address for TLS: two binds both "127.0.0.1:0" would be one to the master's
                // reload, which keys listeners by the address as given.
                "-b", "http://127.0.0.1:0", "-b", "https://127.0.0.2:0",
                "--keyfile", keystore.toString(), "--keyfile-password", "h2-test-pass",
                "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO);
        tlsPort = Integer.parseInt(server.awaitOutput("Listening at: https://127\\.0\\.0\\.2:(\\d+) ", Gunicorn.BOOT).group(1));
        server.awaitServingWorkers(1);
    }

    @AfterAll
    static void stop() {
        curls.forEach(Process::destroyForcibly);
        if (server != null) {
            System.out.println(server.output()); // in the surefire report, for a failure
            server.close();
        }
    }

    @Test
    @Order(1)
    void speaksH2ByAlpnAndH2cAndStillHttp11OnTheSameBinds() throws Exception {
        String plain = "http://127.0.0.1:" + server.port() + "/";
        String tls = "https://127.0.0.2:" + tlsPort + "/";
        assertEquals("200 2", curl("--http2-prior-knowledge", plain), "h2c by prior knowledge");
        assertEquals("200 2", curl("--http2", plain), "h2c by Upgrade: h2c");
        assertEquals("200 2", curl("--http2", tls), "h2 by ALPN");
        assertEquals("200 1.1", curl(plain), "HTTP/1.1 on the plain bind");
        assertEquals("200 1.1", curl("--http1.1", tls), "HTTP/1.1 by ALPN on the TLS bind");
    }

    @Test
    @Order(2)
    void gunicornsRequestLimitsHoldOnH2Streams() throws Exception {
        long worker = server.awaitServingWorkers(1).get(0);
        String url = "http://127.0.0.1:" + server.port() + "/";
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            fields.add("-H");
            fields.add("X-A" + i + ": 1");
        }
        assertEquals("431 2", curl(concat(fields, "--http2-prior-knowledge", url)), "more than --limit-request-fields");
        assertEquals("431 2", curl("--http2-prior-knowledge", "-H", "X-Big: " + "b".repeat(9000), url),
                "a field over --limit-request-field_size");
        assertEquals("414 2", curl("--http2-prior-knowledge", url + "a".repeat(5000)), "over --limit-request-line");
        List<String> block = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            block.add("-H");
            block.add("X-B" + i + ": " + "c".repeat(8000));
        }
        // Over the 64 KiB header block (and the SETTINGS_MAX_HEADER_LIST_SIZE Jetty announces): Jetty refuses
        // the stream (RST_STREAM; curl retries, then gives up) or answers 431; either way the worker lives.
        String big = curlRaw(concat(block, "--retry", "0", "--http2-prior-knowledge", url));
        assertTrue(big.startsWith("431 ") || big.startsWith("000 "), "refused: " + big);
        assertEquals("200 2", curl("--http2-prior-knowledge", url), "the worker serves on");
        assertTrue(Procs.alive(worker) && server.workers().equals(List.of(worker)), "the same worker, alive");
    }

    @Test
    @Order(3)
    void h2RequestsCountForMaxRequests() throws Exception {
        long worker = server.awaitServingWorkers(1).get(0);
        // One h2 connection (h2c by Upgrade: curl 7.88 reuses a prior-knowledge connection badly), many
        // streams: each request counts, as on HTTP/1.1.
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < MAX_REQUESTS; i++) {
            urls.add("http://127.0.0.1:" + server.port() + "/?n=" + i);
        }
        curlRaw(concat(urls, "--http2", "-o", "/dev/null"));
        server.awaitOutput("\\[" + worker + "\\] \\[INFO\\] Autorestarting worker after \\d+ requests \\(--max-requests\\)",
                Duration.ofSeconds(30));
        Wait.until("worker " + worker + " replaced", Gunicorn.BOOT, () -> !Procs.alive(worker));
        assertEquals("200 2", curl("--http2-prior-knowledge", "http://127.0.0.1:" + server.port() + "/"));
    }

    @Test
    @Order(4)
    void hupDrainsTheOldWorkersH2ConnectionsWithGoAwayAndTheirStreamsFinish() throws Exception {
        long old = server.awaitServingWorkers(1).get(0);
        try (Socket idle = idleH2c(server.port())) {
            // h2c by Upgrade: the first request upgrades the connection, the others are streams on it.
            // Usually still in flight when the old worker drains, once the new one accepts; not asserted,
            // as a loaded machine may take longer to boot the new worker (QUIT below asserts it).
            Process streams = slowStreams("--http2", "http://127.0.0.1:" + server.port(), 3, 8);
            server.signal("HUP");
            assertGoAway(idle, "HUP");
            assertStreamsFinished(streams, 3);
            Wait.until("the old worker " + old + " to exit", Duration.ofSeconds(20), () -> !Procs.alive(old));
        }
        long fresh = server.awaitServingWorkers(1).get(0);
        assertTrue(fresh != old, "a new worker");
        assertEquals("200 2", curl("--http2", "https://127.0.0.2:" + tlsPort + "/"));
    }

    @Test
    @Order(5)
    void quitSendsGoAwayLetsTheStreamsInFlightFinishAndExits() throws Exception {
        long worker = server.awaitServingWorkers(1).get(0);
        try (Socket idle = idleH2c(server.port())) {
            Process streams = slowStreams("--http2", "https://127.0.0.2:" + tlsPort, 3, 2.5);
            server.signal("QUIT");
            assertGoAway(idle, "QUIT");
            assertTrue(streams.isAlive(), "the streams were still in flight when the drain began");
            assertStreamsFinished(streams, 3);
        }
        assertEquals(0, server.awaitExit(Duration.ofSeconds(20)), server.output());
        assertTrue(!Procs.alive(worker), "the worker exited");
        assertTrue(server.output().contains("Worker exiting (pid: " + worker + ")"), server.output());
    }

    /** One curl, its "STATUS HTTP_VERSION" for an answer that must be 200-or-refusal, never a failed transfer. */
    private static String curl(String... args) throws Exception {
        return curl(List.of(args));
    }

    private static String curl(List<String> args) throws Exception {
        String out = curlRaw(args);
        assertTrue(!out.startsWith("000"), "curl got an answer: " + out);
        return out;
    }

    private static String curlRaw(List<String> args) throws Exception {
        Process p = start(args);
        if (!p.waitFor(CURL.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl " + args + " still running after " + CURL);
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private static Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-k", "-o", "/dev/null", "-w",
                "%{http_code} %{http_version}\\n", "--max-time", "20"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        curls.add(p);
        return p;
    }

    /**
     * {@code n} requests that each take {@code seconds}, as streams of one connection (curl --parallel
     * multiplexes on h2), returned once the app says every one is in flight.
     */
    private static Process slowStreams(String protocol, String base, int n, double seconds) throws IOException {
        String before = server.output();
        List<String> args = new ArrayList<>(List.of(protocol, "--parallel", "--parallel-max", Integer.toString(n)));
        for (int i = 0; i < n; i++) {
            args.add("-o");
            args.add("/dev/null");
            args.add(base + "/?sleep=" + seconds + "&stream=" + i);
        }
        Process p = start(args);
        Pattern sleeping = Pattern.compile("hello: request sleeping " + Pattern.quote(Double.toString(seconds)) + " s");
        Wait.until(n + " streams in flight", Duration.ofSeconds(20), () -> {
            Matcher m = sleeping.matcher(server.output().substring(before.length()));
            int count = 0;
            while (m.find()) {
                count++;
            }
            return count == n;
        });
        return p;
    }

    private static void assertStreamsFinished(Process streams, int n) throws Exception {
        assertTrue(streams.waitFor(CURL.toSeconds(), TimeUnit.SECONDS), "the slow streams finished");
        String out = new String(streams.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("200 2");
        }
        assertEquals(expected, out.lines().toList(), "every stream in flight finished with 200 over h2");
    }

    /** An h2c connection (prior knowledge) that has done its handshake and then stays idle. */
    private static Socket idleH2c(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.getOutputStream().write(PREFACE);
        s.getOutputStream().flush();
        return s;
    }

    /**
     * Reads frames until a GOAWAY with NO_ERROR arrives (a drain's), well before the 60 s idle timeout;
     * the client then closes, as a client should (RFC 9113, 6.8).
     */
    private static void assertGoAway(Socket s, String signal) throws IOException {
        s.setSoTimeout(30_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        List<Integer> types = new ArrayList<>();
        try {
            while (true) {
                int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                in.readUnsignedByte(); // flags
                in.readInt(); // stream id
                byte[] payload = in.readNBytes(length);
                types.add(type);
                if (type == GOAWAY) {
                    int error = (payload[4] & 0xff) << 24 | (payload[5] & 0xff) << 16 | (payload[6] & 0xff) << 8
                            | (payload[7] & 0xff);
                    assertEquals(0, error, "GOAWAY with NO_ERROR after " + signal);
                    // A client that ignored GOAWAY would hold the connection (and the drain) until Jetty's
                    // idle timeout, --keep-alive, as an idle HTTP/1.1 connection does.
                    s.close();
                    return;
                }
            }
        } catch (SocketTimeoutException | java.io.EOFException e) {
            throw new AssertionError("no GOAWAY on an idle h2 connection within 30 s of " + signal + " (frames: "
                    + types + "): " + e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }
}
