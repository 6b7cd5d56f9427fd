package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gunicorn's parser rules where they are stricter than Jetty's, on a real worker serving an app that
 * echoes the headers it sees and never reads a body: header names with {@code _} (--header-map), a
 * field's whole line against --limit-request-field_size, and a malformed chunked body after which
 * nothing is parsed as a request.
 */
class HttpStrictnessTest {
    private static final String HOST = "Host: x\r\n";
    private static final String ECHO = "fixtures.EchoHeadersServlet";
    private static Gunicorn server;

    @BeforeAll
    static void start() throws IOException {
        server = Gunicorn.start("-w", "1", "--threads", "2", "-b", "127.0.0.1:0", "--limit-request-field_size", "100",
                "--access-logfile", "-", "-cp", Gunicorn.FIXTURES.toString(), ECHO);
        server.awaitServingWorkers(1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aHeaderNameWithAnUnderscoreNeverReachesTheAppByDefault() throws IOException {
        String response = Http.raw(server.port(), "GET /echo HTTP/1.1\r\n" + HOST + "X_Forwarded_For: 6.6.6.6\r\n"
                + "X-Forwarded-For: 1.2.3.4\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.contains("X-Forwarded-For=1.2.3.4\n"), response);
        assertFalse(response.contains("6.6.6.6"), "--header-map drop is the default:\n" + response);
    }

    @Test
    void aFieldLineLongerThanTheLimitCountedAsGunicornDoesGets431() throws IOException {
        // Gunicorn counts "Name: value" and its CRLF: 8 + 90 + 2 = 100 bytes is the limit, and fits.
        String fits = Http.raw(server.port(), "GET / HTTP/1.1\r\n" + HOST + "X-Long: " + "v".repeat(90)
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(fits.startsWith("HTTP/1.1 200"), fits);
        String over = Http.raw(server.port(), "GET / HTTP/1.1\r\n" + HOST + "X-Long: " + "v".repeat(91) + "\r\n\r\n");
        assertTrue(over.startsWith("HTTP/1.1 431"), over);
        assertEquals(1, Http.responses(over), over);
    }

    @Test
    void transferEncodingInHttp10Gets400AndTheAppIsNotCalled() throws IOException {
        String response = Http.raw(server.port(),
                "POST /te HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertFalse(response.contains("path=/te"), response);
    }

    @Test
    void aMalformedChunkedBodyTheAppNeverReadsEndsTheConnectionWithNothingBehindItParsed() throws IOException {
        String smuggled = "GET /smuggled HTTP/1.1\r\n" + HOST + "\r\n";
        String[] badBodies = {
            "zz\r\n",                              // a chunk size that is not hex
            "5\r\nabcdefgh\r\n0\r\n\r\n",          // a chunk longer than its size
            "3\nabc\n0\n\n",                       // bare LF line ends
            "3;x=\"unclosed\r\nabc\r\n0\r\n\r\n",  // a broken chunk extension
        };
        for (String body : badBodies) {
            String response = Http.raw(server.port(),
                    "POST /unread HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n" + body + smuggled);
            assertEquals(1, Http.responses(response), "one answer, then the connection closed:\n" + response);
            assertFalse(response.contains("/smuggled"), response);
        }
        // The control: behind a well-formed body the app did not read, the next request is answered, so
        // the absence above is the worker refusing to go on, not this test failing to see a second answer.
        String response = Http.raw(server.port(), "POST /unread HTTP/1.1\r\n" + HOST
                + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /next HTTP/1.1\r\n" + HOST
                + "Connection: close\r\n\r\n");
        assertEquals(2, Http.responses(response), response);
        assertTrue(response.contains("path=/next"), response);

        // The access log has every request the worker parsed, in order: none was /smuggled.
        server.awaitOutput("\"GET /next HTTP/1.1\" 200", Duration.ofSeconds(10));
        assertFalse(server.output().contains("/smuggled"), server.output());
    }

    @Test
    void headerMapRefuseAndDangerousComeFromTheConfigFileAndAReload() throws Exception {
        Path dir = Scratch.dir("gunicorn-header-map-");
        Path file = dir.resolve("gunicorn.toml");
        String common = "app = \"" + ECHO + "\"\nclasspath = [\"" + Gunicorn.FIXTURES + "\"]\nbind = \"127.0.0.1:0\"\n";
        String request = "GET /echo HTTP/1.1\r\n" + HOST + "X_Forwarded_For: 6.6.6.6\r\nConnection: close\r\n\r\n";
        try {
            Files.writeString(file, common + "header_map = \"refuse\"\n");
            try (Gunicorn g = Gunicorn.start("-c", file.toString())) {
                g.awaitServingWorkers(1);
                String refused = Http.raw(g.port(), request);
                assertTrue(refused.startsWith("HTTP/1.1 400"), refused);
                assertFalse(refused.contains("path=/echo"), "the app was not called:\n" + refused);

                Files.writeString(file, common + "header_map = \"dangerous\"\n");
                g.signal("HUP");
                g.awaitOutput("Generation 2 is serving", Gunicorn.BOOT);
                String passed = Wait.forValue("the new generation's answer", Duration.ofSeconds(10), () -> {
                    try {
                        String r = Http.raw(g.port(), request);
                        return r.startsWith("HTTP/1.1 200") ? r : null;
                    } catch (IOException e) {
                        return null;
                    }
                });
                assertTrue(passed.contains("X_Forwarded_For=6.6.6.6\n"), passed);
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
