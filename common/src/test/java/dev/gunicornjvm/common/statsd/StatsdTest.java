package dev.gunicornjvm.common.statsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.common.logging.Logging;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatsdTest {
    @AfterEach
    void off() {
        Statsd.configure(null);
    }

    @Test
    void addressesAreReadAsGunicornReadsThem() {
        StatsdTarget t = StatsdTarget.parse("statsd.local", "app..", " env:test , team:web,");
        assertEquals(new StatsdTarget("statsd.local", 8125, null, "app", List.of("env:test", "team:web")), t);
        assertEquals("statsd.local:8125", t.address());
        assertEquals("env:test,team:web", t.tagText());
        assertEquals(new StatsdTarget("::1", 9125, null, "", List.of()), StatsdTarget.parse("[::1]:9125", null, null));
        assertEquals("[::1]:9125", StatsdTarget.parse("[::1]:9125", null, null).address());
        assertEquals(new StatsdTarget("::1", 8125, null, "", List.of()), StatsdTarget.parse("::1", "", ""));
        assertEquals(new StatsdTarget(null, 0, "/run/statsd.sock", "", List.of()), StatsdTarget.parse("unix:/run/statsd.sock", null, null));
        assertEquals(new StatsdTarget(null, 0, "/run/s.sock", "", List.of()), StatsdTarget.parse("unix:///run/s.sock", null, null));
        assertEquals("--statsd-host 'h:x': bad port 'x' (want 1-65535)",
                assertThrows(IllegalArgumentException.class, () -> StatsdTarget.parse("h:x", null, null)).getMessage());
        assertEquals("--statsd-host ':8125' names no host (want HOST:PORT or unix:PATH)",
                assertThrows(IllegalArgumentException.class, () -> StatsdTarget.parse(":8125", null, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> StatsdTarget.parse("h:0", null, null));
        assertThrows(IllegalArgumentException.class, () -> StatsdTarget.parse("unix:", null, null));
    }

    @Test
    void metricsAndWarningsReachTheServerWithGunicornsNamesPrefixAndTags() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(5000);
            Logging.configure(new LogSettings(LogSettings.STREAM, null, "info"));
            Statsd.configure(StatsdTarget.parse("127.0.0.1:" + server.getLocalPort(), "app", "env:test,b:c"));
            StatsdSink sink = Statsd.sink();
            sink.increment("gunicorn.requests");
            sink.gauge("gunicorn.workers", 3);
            sink.timer("gunicorn.request.duration", 12);
            LogManager.getLogger("gunicorn.error").warn("a warning, counted");
            LogManager.getLogger("gunicorn.error").error("an error with a trace", new RuntimeException("x"));
            LogManager.getLogger("gunicorn.error").info("not counted");
            List<String> lines = receive(server, 5);
            assertEquals(List.of("app.gunicorn.requests:1|c|@1.000000|#env:test,b:c", "app.gunicorn.workers:3|g|#env:test,b:c",
                    "app.gunicorn.request.duration:12|ms|#env:test,b:c",
                    "app.gunicorn.log.warning:1|c|@1.000000|#env:test,b:c",
                    "app.gunicorn.log.exception:1|c|@1.000000|#env:test,b:c"), lines);

            Statsd.configure(StatsdTarget.parse("127.0.0.1:" + server.getLocalPort(), null, null));
            Statsd.sink().increment("gunicorn.requests");
            assertEquals(List.of("gunicorn.requests:1|c|@1.000000"), receive(server, 1), "plain StatsD without tags");
            Statsd.configure(null);
            assertSame(StatsdSink.NONE, Statsd.sink());
            LogManager.getLogger("gunicorn.error").warn("not sent anywhere");
        }
    }

    @Test
    void anUnresolvableHostIsNoSink() {
        Statsd.configure(StatsdTarget.parse("no-such-host.invalid:8125", null, null));
        assertSame(StatsdSink.NONE, Statsd.sink());
    }

    private static List<String> receive(DatagramSocket server, int count) throws Exception {
        List<String> lines = new ArrayList<>();
        byte[] buffer = new byte[65536];
        try {
            while (lines.size() < count) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                server.receive(packet);
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                text.lines().filter(l -> !l.isEmpty()).forEach(lines::add);
            }
        } catch (SocketTimeoutException e) {
            assertTrue(false, "got only " + lines);
        }
        return lines;
    }
}
