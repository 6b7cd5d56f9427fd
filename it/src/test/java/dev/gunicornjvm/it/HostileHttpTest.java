package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A table of hostile raw requests, sent over plain sockets to a real worker. */
class HostileHttpTest {
    private static Gunicorn server;

    @BeforeAll
    static void start() throws IOException {
        server = Gunicorn.hello(1, "--threads", "2");
        server.awaitServingWorkers(1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> hostileRequests() {
        String h = "Host: x\r\n";
        return Stream.of(
                Arguments.of("garbage request line", "GARBAGE\r\n\r\n", Set.of(400)),
                Arguments.of("bad method token", "G@T / HTTP/1.1\r\n" + h + "\r\n", Set.of(400)),
                Arguments.of("unknown HTTP version", "GET / HTTP/7.1\r\n" + h + "\r\n", Set.of(400, 505)),
                Arguments.of("space in a header name", "GET / HTTP/1.1\r\n" + h + "Bad Header: y\r\n\r\n", Set.of(400)),
                Arguments.of("control character in a value", "GET / HTTP/1.1\r\n" + h + "X: a\u0001b\r\n\r\n", Set.of(400)),
                Arguments.of("obsolete line folding", "GET / HTTP/1.1\r\n" + h + "X: a\r\n b\r\n\r\n", Set.of(400)),
                Arguments.of("bare CR", "GET / HTTP/1.1\r" + h + "\r\n", Set.of(400)),
                Arguments.of("no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", Set.of(400)),
                Arguments.of("Content-Length not a number", "POST / HTTP/1.1\r\n" + h + "Content-Length: abc\r\n\r\n",
                        Set.of(400)),
                Arguments.of("two different Content-Lengths",
                        "POST / HTTP/1.1\r\n" + h + "Content-Length: 3\r\nContent-Length: 5\r\n\r\nabcde", Set.of(400)),
                Arguments.of("Content-Length and Transfer-Encoding (smuggling)",
                        "POST / HTTP/1.1\r\n" + h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                                + "GET /smuggled HTTP/1.1\r\n" + h + "\r\n", Set.of(400)),
                // The hello app answers POST (405) without reading the body; the bad chunk is then found
                // while Jetty reads the rest, and the connection is closed instead of reused.
                Arguments.of("bad chunk size", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
                        Set.of(400, 405)),
                Arguments.of("Transfer-Encoding in HTTP/1.0 (refused as in Gunicorn)",
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Set.of(400)),
                Arguments.of("unknown transfer coding before chunked (refused as in Gunicorn)",
                        "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n", Set.of(501)),
                Arguments.of("unknown transfer coding", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip\r\n\r\n",
                        Set.of(400, 501)),
                Arguments.of("request line over --limit-request-line",
                        "GET /" + "a".repeat(5000) + " HTTP/1.1\r\n" + h + "\r\n", Set.of(414)),
                Arguments.of("more fields than --limit-request-fields",
                        "GET / HTTP/1.1\r\n" + h + "X-A: 1\r\n".repeat(150) + "\r\n", Set.of(431)),
                Arguments.of("field over --limit-request-field_size",
                        "GET / HTTP/1.1\r\n" + h + "X-Big: " + "b".repeat(9000) + "\r\n\r\n", Set.of(431)),
                Arguments.of("header block over 64 KiB",
                        "GET / HTTP/1.1\r\n" + h + ("X-Big: " + "b".repeat(8000) + "\r\n").repeat(9) + "\r\n",
                        Set.of(431)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRequests")
    void isRefusedWithOneAnswerAndTheConnectionClosed(String name, String request, Set<Integer> statuses)
            throws IOException {
        String response = Http.raw(server.port(), request);
        assertEquals(1, Http.responses(response), name + ": exactly one response, nothing smuggled:\n" + response);
        int status = Integer.parseInt(response.substring(9, 12));
        assertTrue(statuses.contains(status), name + ": status " + status + " not in " + statuses + ":\n" + response);
        assertTrue(Http.getClosing("127.0.0.1", server.port(), "/").ok(), "the worker serves on after " + name);
    }

    @Test
    void slowClientsCannotExhaustTheRequestThreads() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) { // far more than --threads 2
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            for (int i = 0; i < 10; i++) {
                for (Socket s : slow) {
                    s.getOutputStream().write('a'); // a byte at a time, never finishing the headers
                }
                long start = System.nanoTime();
                assertTrue(Http.getClosing("127.0.0.1", server.port(), "/").ok());
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "answered promptly");
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheKeepAliveTimeout() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String response = Http.readUntilClosed(s.getInputStream()); // 200, then closed when idle
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            long idle = (System.nanoTime() - start) / 1_000_000;
            assertTrue(idle >= 1500 && idle < 8000, "closed after about --keep-alive 2 s: " + idle + " ms");
        }
    }
}
