package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forwarded headers and the PROXY protocol on one real master: --forwarded-allow-ips is Gunicorn's
 * default (127.0.0.1,::1), --proxy-allow-from a CIDR range (127.0.0.0/31). The test talks to it from
 * 127.0.0.1, a trusted front end, and from 127.0.0.2, another loopback address that is neither: a
 * stranger. The app (fixtures.ClientInfoServlet) says which client, scheme, host and port it sees, and
 * the access log (%h) which client.
 */
class TrustedProxiesTest {
    private static final String TRUSTED = "127.0.0.1";
    private static final String STRANGER = "127.0.0.2";
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static Gunicorn server;
    private static long worker;

    @BeforeAll
    static void start() throws IOException {
        server = Gunicorn.start("-w", "1", "-b", "127.0.0.1:0", "--proxy-protocol", "--proxy-allow-from", "127.0.0.0/31",
                "--access-logfile", "-", "-cp", Gunicorn.FIXTURES.toString(), "fixtures.ClientInfoServlet");
        worker = server.awaitServingWorkers(1).get(0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Whatever a test sent, the one worker is still the one serving: bad input never kills it. */
    @AfterEach
    void theWorkerServesOn() throws IOException {
        String after = request(TRUSTED, new byte[0], "/after", "");
        assertTrue(after.contains("answered by worker " + worker + " \n"), "the same worker serves on:\n" + after);
        assertEquals(List.of(worker), server.workers());
    }

    @Test
    void forwardedHeadersFromATrustedPeerGiveTheAppAndTheAccessLogTheClientSchemeHostAndPort() throws IOException {
        // The client is the rightmost address that is not a trusted proxy; left of it, what that client claimed.
        String xff = request(TRUSTED, new byte[0], "/xff", "X-Forwarded-For: 6.6.6.6, 203.0.113.9, ::1\r\n"
                + "X-Forwarded-For: 127.0.0.1\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\nX-Forwarded-Port: 8443\r\n");
        assertSees(xff, "remote=203.0.113.9", "scheme=https", "secure=true", "host=shop.example", "port=8443",
                "url=https://shop.example:8443/xff");
        server.awaitOutput("(?m)^203\\.0\\.113\\.9 - - \\[[^]]+\\] \"GET /xff HTTP/1\\.1\" 200 ", Duration.ofSeconds(10));

        String rfc7239 = request(TRUSTED, new byte[0], "/forwarded",
                "Forwarded: for=198.51.100.17;proto=https;host=rfc.example\r\n");
        assertSees(rfc7239, "remote=198.51.100.17", "scheme=https", "secure=true", "host=rfc.example",
                "url=https://rfc.example/forwarded");
    }

    @Test
    void secureSchemeHeadersFromATrustedPeerMakeTheRequestHttpsAndContradictionsGet400() throws IOException {
        assertSees(request(TRUSTED, new byte[0], "/ssl", "X-Forwarded-Ssl: on\r\n"), "scheme=https", "secure=true");
        assertSees(request(TRUSTED, new byte[0], "/protocol", "X-Forwarded-Protocol: ssl\r\n"), "scheme=https");
        // Gunicorn compares values exactly: anything else says http.
        assertSees(request(TRUSTED, new byte[0], "/off", "X-Forwarded-Ssl: off\r\n"), "scheme=http", "secure=false");
        // Jetty's own extra headers are not among the ones believed.
        assertSees(request(TRUSTED, new byte[0], "/jetty", "X-Proxied-Https: on\r\nX-Forwarded-Server: other.example\r\n"),
                "scheme=http", "host=x");
        String contradiction = request(TRUSTED, new byte[0], "/both", "X-Forwarded-Ssl: on\r\nX-Forwarded-Proto: http\r\n");
        assertTrue(contradiction.startsWith("HTTP/1.1 400 "), contradiction);
        assertTrue(contradiction.contains("Contradictory scheme headers"), contradiction);
    }

    @Test
    void theSameHeadersFromAnUntrustedPeerChangeNothing() throws IOException {
        String spoofed = request(STRANGER, new byte[0], "/spoofed", "X-Forwarded-For: 203.0.113.9\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\nX-Forwarded-Port: 8443\r\n"
                + "X-Forwarded-Ssl: on\r\nForwarded: for=198.51.100.17;proto=https;host=rfc.example\r\n");
        assertSees(spoofed, "remote=" + STRANGER, "scheme=http", "secure=false", "host=x", "port=80", "url=http://x/spoofed");
        server.awaitOutput("(?m)^127\\.0\\.0\\.2 - - \\[[^]]+\\] \"GET /spoofed HTTP/1\\.1\" 200 ", Duration.ofSeconds(10));
        // Contradicting scheme headers are not even looked at.
        assertTrue(request(STRANGER, new byte[0], "/both", "X-Forwarded-Ssl: on\r\nX-Forwarded-Proto: http\r\n")
                .startsWith("HTTP/1.1 200 "));
    }

    @Test
    void proxyProtocolHeadersGiveTheAppAndTheAccessLogTheClientsAddress() throws IOException {
        String v1 = request(TRUSTED, ascii("PROXY TCP4 198.51.100.7 127.0.0.1 5555 80\r\n"), "/v1", "");
        assertSees(v1, "remote=198.51.100.7", "remotePort=5555", "scheme=http");
        server.awaitOutput("(?m)^198\\.51\\.100\\.7 - - \\[[^]]+\\] \"GET /v1 HTTP/1\\.1\" 200 ", Duration.ofSeconds(10));

        String v1ipv6 = request(TRUSTED, ascii("PROXY TCP6 2001:db8::7 ::1 6666 80\r\n"), "/v1-ipv6", "");
        assertSees(v1ipv6, "remote=[2001:db8:0:0:0:0:0:7]", "remotePort=6666");

        String v2 = request(TRUSTED, proxyV2((byte) 0x21, (byte) 0x11, new byte[] {(byte) 192, 0, 2, 44},
                new byte[] {127, 0, 0, 1}, 4444, 80), "/v2", "");
        assertSees(v2, "remote=192.0.2.44", "remotePort=4444");
        server.awaitOutput("(?m)^192\\.0\\.2\\.44 - - \\[[^]]+\\] \"GET /v2 HTTP/1\\.1\" 200 ", Duration.ofSeconds(10));

        // Without a PROXY header a connection is served as it is, from anyone.
        assertSees(request(STRANGER, new byte[0], "/plain", ""), "remote=" + STRANGER);
    }

    @Test
    void forwardedHeadersAreJudgedByTheClientAPROXYHeaderNames() throws IOException {
        // A layer-4 balancer relays the client's bytes: the client's own X-Forwarded-For is not believed...
        String relayed = request(TRUSTED, ascii("PROXY TCP4 198.51.100.7 127.0.0.1 5555 80\r\n"), "/relayed",
                "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\n");
        assertSees(relayed, "remote=198.51.100.7", "scheme=http");
        // ...while a trusted proxy behind the balancer (here at 127.0.0.1) is.
        String viaProxy = request(TRUSTED, ascii("PROXY TCP4 127.0.0.1 127.0.0.1 5555 80\r\n"), "/via-proxy",
                "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n");
        assertSees(viaProxy, "remote=203.0.113.9", "scheme=https");
    }

    @Test
    void aProxyHeaderFromAPeerNotInProxyAllowFromClosesTheConnection() throws IOException {
        String v1 = request(STRANGER, ascii("PROXY TCP4 198.51.100.7 127.0.0.1 5555 80\r\n"), "/forged-v1", "");
        assertEquals("", v1, "closed without an answer");
        String v2 = request(STRANGER, proxyV2((byte) 0x21, (byte) 0x11, new byte[] {(byte) 192, 0, 2, 44},
                new byte[] {127, 0, 0, 1}, 4444, 80), "/forged-v2", "");
        assertEquals("", v2, "closed without an answer");
        server.awaitOutput("PROXY header from 127\\.0\\.0\\.2, which is not in --proxy-allow-from 127\\.0\\.0\\.0/31",
                Duration.ofSeconds(10));
        assertTrue(!server.output().contains("/forged-"), "the app never saw them:\n" + server.output());
        assertTrue(!server.output().contains("Malformed or incomplete PROXY header from 127.0.0.2"), server.output());
    }

    @Test
    void aMalformedProxyHeaderClosesTheConnection() throws IOException {
        for (String bad : List.of("PROXY TCP4 garbage\r\n", "PROXY TCP4 198.51.100.7 127.0.0.1 99999 80\r\n",
                "PROXY TCP4 " + "9".repeat(200) + "\r\n")) {
            assertEquals("", request(TRUSTED, ascii(bad), "/malformed-v1", ""), bad);
        }
        // A v2 header whose address family byte is not one of the protocol's.
        assertEquals("", request(TRUSTED, proxyV2((byte) 0x21, (byte) 0x99, new byte[] {1, 2, 3, 4},
                new byte[] {5, 6, 7, 8}, 1, 2), "/malformed-v2", ""));
        server.awaitOutput("\\[WARNING\\] Malformed or incomplete PROXY header from 127\\.0\\.0\\.1: connection closed",
                Duration.ofSeconds(10));
        assertTrue(!server.output().contains("/malformed-"), "the app never saw them:\n" + server.output());
        assertTrue(!server.output().contains("Proxy v1 error"), "one line each, not Jetty's:\n" + server.output());
    }

    private static void assertSees(String response, String... lines) {
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        for (String line : lines) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(line) + "$").matcher(body).find(),
                    "the app sees " + line + ":\n" + body);
        }
    }

    /**
     * On a new connection from {@code source}: the {@code preface} bytes (a PROXY header), then a GET of
     * {@code path} with Host: x and the extra header lines; everything answered until the server closes.
     */
    private static String request(String source, byte[] preface, String path, String headers) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(10_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(preface);
            out.write(ascii("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n"));
            try {
                s.getOutputStream().write(out.toByteArray());
                return Http.readUntilClosed(s.getInputStream());
            } catch (SocketException e) {
                return ""; // reset: closed, as a refused or malformed PROXY header is
            }
        }
    }

    /** A PROXY v2 header for TCP over IPv4 ({@code family} 0x11) or whatever family byte a test gives. */
    private static byte[] proxyV2(byte versionCommand, byte family, byte[] source, byte[] destination, int sourcePort,
                                  int destinationPort) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12);
        b.put(V2_SIGNATURE).put(versionCommand).put(family).putShort((short) 12);
        b.put(source).put(destination).putShort((short) sourcePort).putShort((short) destinationPort);
        return b.array();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
