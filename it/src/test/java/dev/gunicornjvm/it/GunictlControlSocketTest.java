package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The control socket from the server's side: garbage, oversized and silent clients, and a crowd of them
 * at once, get an error reply or are dropped, and the master keeps serving HTTP and answering gunictl.
 */
@Tag("signals")
class GunictlControlSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path socket(Gunicorn g) {
        return g.dir().resolve("gunicorn.pid.ctl").resolve(g.pid() + ".sock");
    }

    /** Sends bytes, then reads until the master closes; returns what it said ("" if nothing). */
    private static String exchange(Path socket, byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request);
            try {
                while (out.hasRemaining()) {
                    ch.write(out);
                }
            } catch (IOException e) {
                // The master may hang up on an oversized request before reading it all; read its answer.
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(4096);
            try {
                while (ch.read(in.clear()) > 0) {
                    answer.write(in.array(), 0, in.position());
                }
            } catch (IOException e) {
                // Reset after the answer: keep what came.
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static JsonNode error(String answer) throws IOException {
        JsonNode r = JSON.readTree(answer);
        assertEquals(false, r.get("ok").asBoolean(), answer);
        assertEquals(1, r.get("v").asInt(), answer);
        return r.get("error");
    }

    private static void assertServingAndAnswering(Gunicorn g) {
        assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok(), "the master serves HTTP");
        GunictlCli.Result status = GunictlCli.run(g.dir(), "status", "--json");
        assertEquals(0, status.exit(), status.toString());
        assertEquals(g.pid(), status.json().get("master").get("pid").asLong());
    }

    @Test
    void malformedOversizedAndWrongRequestsGetAnErrorAndChangeNothing() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            g.awaitServingWorkers(1);
            Path socket = socket(g);
            assertEquals("bad-request", error(exchange(socket, "{not json\n".getBytes(StandardCharsets.UTF_8)))
                    .get("code").asText());
            assertEquals("bad-request", error(exchange(socket, "[1,2,3]\n".getBytes(StandardCharsets.UTF_8)))
                    .get("code").asText());
            assertEquals("bad-version", error(exchange(socket,
                    "{\"v\":2,\"id\":\"a\",\"command\":\"status\"}\n".getBytes(StandardCharsets.UTF_8))).get("code").asText());
            assertEquals("unknown-command", error(exchange(socket,
                    "{\"v\":1,\"id\":\"b\",\"command\":\"reboot\"}\n".getBytes(StandardCharsets.UTF_8))).get("code").asText());
            JsonNode badScale = error(exchange(socket,
                    "{\"v\":1,\"id\":\"c\",\"command\":\"scale\",\"args\":{\"workers\":0}}\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("invalid-argument", badScale.get("code").asText());

            byte[] huge = new byte[70 * 1024];
            java.util.Arrays.fill(huge, (byte) 'x');
            String tooLarge = exchange(socket, huge);
            assertEquals("too-large", error(tooLarge).get("code").asText(), tooLarge);

            String ok = exchange(socket, "{\"v\":1,\"id\":\"d\",\"command\":\"status\"}\n".getBytes(StandardCharsets.UTF_8));
            JsonNode r = JSON.readTree(ok);
            assertTrue(r.get("ok").asBoolean(), ok);
            assertEquals("d", r.get("id").asText());
            assertEquals(1, r.get("status").get("targetWorkers").asInt(), "nothing changed");
            assertServingAndAnswering(g);
        }
    }

    @Test
    void aSilentClientIsDroppedAndACrowdOfClientsDoesNotStopTheMaster() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            g.awaitServingWorkers(1);
            Path socket = socket(g);
            // A client that connects and says nothing for 6 s: dropped after 5 s, without an answer.
            try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                silent.connect(UnixDomainSocketAddress.of(socket));
                long start = System.nanoTime();
                assertServingAndAnswering(g); // the others are served meanwhile
                int n = silent.read(ByteBuffer.allocate(16)); // blocks until the master hangs up
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(-1, n, "closed without an answer");
                assertTrue(waited >= 4000 && waited < 20_000, "dropped after about 5 s, not " + waited + " ms");
            }

            // 200 clients at once, half of them silent: each gets an answer or is dropped, none hangs.
            ExecutorService pool = Executors.newFixedThreadPool(64);
            AtomicInteger answered = new AtomicInteger();
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean silent = i % 2 == 1;
                all.add(pool.submit(() -> {
                    String a = exchange(socket, silent ? new byte[0]
                            : "{\"v\":1,\"id\":\"x\",\"command\":\"status\"}\n".getBytes(StandardCharsets.UTF_8));
                    if (a.contains("\"ok\":true")) {
                        answered.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertTrue(answered.get() > 0, "some of the crowd got answers");
            assertServingAndAnswering(g);
            assertEquals(1, g.workers().size());
            Wait.until("the master to stay up", Duration.ofSeconds(1), () -> g.process().isAlive());
        }
    }
}
