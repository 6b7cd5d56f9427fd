package dev.gunicornjvm.worker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gunicornjvm.common.logging.AccessLogFormat;
import dev.gunicornjvm.common.statsd.StatsdSink;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** The access log's atoms, its JSON, and what Jetty hands the request logs, on a real Jetty for the last. */
class AccessLogTest {
    /** 2026-12-07 11:32:28.250 UTC. */
    private static final long START = 1796643148250L;

    /** A finished request with fixed values. */
    record Fixed(String remoteAddr, long durationNanos, String method, String target, String path, String query,
                 String protocol, int status, long bytes, Map<String, String> requestHeaders,
                 Map<String, String> responseHeaders, Map<String, Object> attributes) implements LoggedExchange {
        @Override
        public long startMillis() {
            return START;
        }

        @Override
        public String requestHeader(String name) {
            return requestHeaders.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        @Override
        public String responseHeader(String name) {
            return responseHeaders.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        @Override
        public Object attribute(String name) {
            return attributes.get(name);
        }
    }

    private static final Fixed GET = new Fixed("10.1.2.3", 1_234_567_890L, "GET", "/a%20b?x=1&y=%22", "/a b", "x=1&y=%22",
            "HTTP/1.1", 200, 57, Map.of("User-Agent", "curl/8 \"quoted\"", "Referer", "http://r/",
                    "Authorization", "Basic " + Base64.getEncoder().encodeToString("bob:s3cret:x".getBytes(StandardCharsets.UTF_8)),
                    "X-Test", "yes"), Map.of("Content-Type", "text/plain"), Map.of("trace", 42));

    private static String line(String format, LoggedExchange e) {
        return new AccessLogLine(AccessLogFormat.parse(format), ZoneOffset.UTC, 777).render(e);
    }

    @Test
    void gunicornsDefaultFormat() {
        assertEquals("10.1.2.3 - bob [07/Dec/2026:11:32:28 +0000] \"GET /a%20b?x=1&y=%22 HTTP/1.1\" 200 57"
                + " \"http://r/\" \"curl/8 \\\"quoted\\\"\"", line(AccessLogFormat.DEFAULT, GET));
    }

    @Test
    void everyAtomHasGunicornsValue() {
        assertEquals("h=10.1.2.3 l=- u=bob t=[07/Dec/2026:11:32:28 +0000] r=GET /a%20b?x=1&y=%22 HTTP/1.1 s=200 m=GET"
                        + " U=/a b q=x=1&y=%22 H=HTTP/1.1 b=57 B=57 f=http://r/ a=curl/8 \\\"quoted\\\" T=1 D=1234567"
                        + " M=1234 L=1.234567 p=<777>",
                line("h=%(h)s l=%(l)s u=%(u)s t=%(t)s r=%(r)s s=%(s)s m=%(m)s U=%(U)s q=%(q)s H=%(H)s b=%(b)s B=%(B)s"
                        + " f=%(f)s a=%(a)s T=%(T)s D=%(D)s M=%(M)s L=%(L)s p=%(p)s", GET));
    }

    @Test
    void headersAttributesAndWhatIsMissing() {
        assertEquals("yes yes - text/plain - 42 - - 100%", line("%({x-test}i)s %({X-TEST}i)s %({x-none}i)s"
                + " %({content-type}o)s %({x-none}o)s %({trace}e)s %({none}e)s %(zz)s 100%%", GET));
        Fixed bare = new Fixed("-", 999L, "HEAD", "/", "/", null, "HTTP/1.0", 304, 0, Map.of("Authorization", "Basic !!!"),
                Map.of(), Map.of());
        assertEquals("- - - \"HEAD / HTTP/1.0\" 304 - 0 \"-\" \"-\" [] 0 0 0.000000",
                line("%(h)s %(l)s %(u)s \"%(r)s\" %(s)s %(b)s %(B)s \"%(f)s\" \"%(a)s\" [%(q)s] %(D)s %(T)s %(L)s", bare));
    }

    @Test
    void sameSecondSharesItsTimeTextAndTheZoneIsTheWorkers() {
        AccessLogLine l = new AccessLogLine(AccessLogFormat.parse("%(t)s"), ZoneId.of("Europe/Paris"), 1);
        assertEquals("[07/Dec/2026:12:32:28 +0100]", l.time(START));
        assertEquals("[07/Dec/2026:12:32:28 +0100]", l.time(START + 700));
        assertEquals("[07/Dec/2026:12:32:29 +0100]", l.time(START + 750));
    }

    @Test
    void jsonIsValidJsonWithQuotesNewlinesAndUnicode() throws Exception {
        Fixed odd = new Fixed("::1", 2_500_000L, "POST", "/p?q=\"1\"", "/p", "q=\"1\"", "HTTP/2.0", 201, 5,
                Map.of("User-Agent", "a \"b\"\nc\\d \t é 日本 \u0001", "X-Test", "v"), Map.of("X-Out", "o"), Map.of());
        String json = new AccessLogJson(AccessLogFormat.parse("%(h)s %({x-test}i)s %({X-Missing}i)s %({x-out}o)s %({a.b}e)s"),
                ZoneOffset.UTC, 777).render(odd);
        assertTrue(!json.contains("\n"), "one line: " + json);
        JsonNode n = new ObjectMapper().readTree(json);
        assertEquals("a \"b\"\nc\\d \t é 日本 \u0001", n.get("user_agent").asText());
        assertEquals("::1", n.get("remote_addr").asText());
        assertEquals("2026-12-07T11:32:28.25Z", n.get("time").asText());
        assertEquals("POST /p?q=\"1\" HTTP/2.0", n.get("request").asText());
        assertEquals("POST", n.get("method").asText());
        assertEquals("/p", n.get("path").asText());
        assertEquals("q=\"1\"", n.get("query").asText());
        assertEquals("HTTP/2.0", n.get("protocol").asText());
        assertEquals(201, n.get("status").asInt());
        assertTrue(n.get("status").isNumber());
        assertEquals(5, n.get("bytes").asLong());
        assertEquals(2, n.get("duration_ms").asLong());
        assertEquals(2500, n.get("duration_us").asLong());
        assertEquals(777, n.get("pid").asLong());
        assertTrue(n.get("referer").isNull());
        assertTrue(n.get("user").isNull());
        assertEquals("v", n.get("request_headers").get("x-test").asText());
        assertTrue(n.get("request_headers").get("x-missing").isNull());
        assertEquals("o", n.get("response_headers").get("x-out").asText());
        assertTrue(n.get("attributes").get("a.b").isNull());

        JsonNode plain = new ObjectMapper().readTree(new AccessLogJson(AccessLogFormat.parse(AccessLogFormat.DEFAULT),
                ZoneOffset.UTC, 1).render(GET));
        assertEquals("bob", plain.get("user").asText());
        assertNull(plain.get("request_headers"), "only the headers the format names");
    }

    @Test
    void jettyHandsTheLogsWhatTheClientSentAndGotAndMetricsAreGunicorns() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                request.setAttribute("trace", "t-1");
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.getHeaders().put("X-Out", "out");
                response.setStatus(202);
                response.write(true, java.nio.ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        List<String> lines = new CopyOnWriteArrayList<>();
        AccessLogLine format = new AccessLogLine(AccessLogFormat.parse("%(h)s %(u)s \"%(r)s\" %(m)s %(U)s %(q)s %(H)s %(s)s"
                + " %(b)s \"%(a)s\" %({x-test}i)s %({x-out}o)s %({trace}e)s %(D)s"), ZoneOffset.UTC, 1);
        List<String> metrics = new CopyOnWriteArrayList<>();
        server.setRequestLog(new RequestLog.Collection((request, response) ->
                lines.add(format.render(new JettyExchange(request, response))), new RequestMetrics(recording(metrics))));
        server.start();
        try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
            s.getOutputStream().write(("GET /x%20y?a=1 HTTP/1.1\r\nHost: h\r\nUser-Agent: t \"1\"\r\nX-Test: in\r\n"
                    + "Authorization: Basic " + Base64.getEncoder().encodeToString("ann:pw".getBytes(StandardCharsets.UTF_8))
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertTrue(new String(in.readAllBytes(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 202"));
        } finally {
            long deadline = System.nanoTime() + 10_000_000_000L; // the logs run as the exchange completes
            while ((lines.isEmpty() || metrics.size() < 3) && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            server.stop();
        }
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("127\\.0\\.0\\.1 ann \"GET /x%20y\\?a=1 HTTP/1\\.1\" GET /x y a=1 HTTP/1\\.1 202 5"
                + " \"t \\\\\"1\\\\\"\" in out t-1 \\d+"), lines.get(0));
        assertEquals("gunicorn.request.duration", metrics.get(0).replaceAll(":\\d+\\|ms$", ""), metrics.toString());
        assertEquals(List.of("gunicorn.requests", "gunicorn.request.status.202"), metrics.subList(1, 3));
    }

    /** A sink that records the names (and a timer's value) it is given. */
    private static StatsdSink recording(List<String> metrics) {
        return new StatsdSink() {
            @Override
            public void increment(String name) {
                metrics.add(name);
            }

            @Override
            public void gauge(String name, long value) {
                metrics.add(name + ":" + value + "|g");
            }

            @Override
            public void timer(String name, long millis) {
                metrics.add(name + ":" + millis + "|ms");
            }

            @Override
            public void close() {
            }
        };
    }
}
