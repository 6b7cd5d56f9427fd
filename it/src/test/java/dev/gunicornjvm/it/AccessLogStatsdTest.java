package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A custom access log format on the master's stdout (--access-logfile -), and Gunicorn's StatsD metrics
 * from master and workers, on one real master with a standby: the test is the StatsD server (a UDP
 * socket). The master's stdout and stderr go to different files, so the test sees where each line goes.
 * The standby's warm-up request is neither logged nor counted: every access line is one request counted.
 */
class AccessLogStatsdTest {
    private static final String FORMAT = "%(h)s \"%(r)s\" %(s)s %(D)s %({x-test}i)s \"%(a)s\" %(zz)s";
    private static final String TAGS = "|#env:test";

    @Test
    void accessLinesGoToStdoutAndMetricsCarryGunicornsNamesPrefixAndTags() throws Exception {
        List<String> metrics = new CopyOnWriteArrayList<>();
        try (DatagramSocket statsd = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread receiver = new Thread(() -> receive(statsd, metrics), "statsd-server");
            receiver.setDaemon(true);
            receiver.start();
            Path stdout = Scratch.dir("gunicorn-stdout-").resolve("stdout.log");
            // The wrapper sends the master's stdout (and so its workers') to a file of its own; stderr, the
            // error log, stays in the output the Gunicorn helper reads.
            try (Gunicorn g = Gunicorn.startWrapped(List.of("sh", "-c", "exec \"$0\" \"$@\" >'" + stdout + "'"),
                    Gunicorn.HOME.resolve("bin/gunicorn"), Map.of(), "-w", "1", "--standby", "1", "-b", "127.0.0.1:0",
                    "--worker-cds", "off", "--log-level", "debug", "--access-logfile", "-", "--access-logformat", FORMAT,
                    "--statsd-host", "127.0.0.1:" + statsd.getLocalPort(), "--statsd-prefix", "app",
                    "--dogstatsd-tags", "env:test", "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
                g.awaitServingWorkers(1);
                g.awaitOutput("Standby worker \\(pid:\\d+\\) of generation 1 is ready", Gunicorn.BOOT);
                for (int i = 0; i < 3; i++) {
                    assertEquals(200, Http.request(g.port(), "/logged?n=" + i, "X-Test: hello " + i,
                            "User-Agent: it \"quoted\"").status());
                }
                Wait.until("three access lines on stdout", Duration.ofSeconds(20),
                        () -> Gunicorn.read(stdout).lines().filter(l -> l.contains("/logged?n=")).count() == 3);
                for (int i = 0; i < 3; i++) {
                    String n = Integer.toString(i);
                    assertTrue(Gunicorn.read(stdout).lines().anyMatch(l -> l.matches("127\\.0\\.0\\.1 \"GET /logged\\?n="
                            + n + " HTTP/1\\.0\" 200 \\d+ hello " + n + " \"it \\\\\"quoted\\\\\"\" -")), Gunicorn.read(stdout));
                }
                List<String> lines = Gunicorn.read(stdout).lines().toList();
                assertTrue(lines.stream().allMatch(l -> l.startsWith("127.0.0.1 \"GET ")), "only access lines: " + lines);
                assertFalse(g.output().contains("/logged?n="), "no access line on stderr:\n" + g.output());
                assertTrue(g.output().contains("[WARNING] --access-logformat: unknown atom %(zz)s is written as -"),
                        g.output());

                // Every request logged is counted once, and nothing else is: not the standby's warm-up.
                Wait.until("as many requests counted as logged, in " + metrics, Duration.ofSeconds(20),
                        () -> count(metrics, "app.gunicorn.requests:1|c|@1.000000" + TAGS)
                                == Gunicorn.read(stdout).lines().count());
                assertFalse(Gunicorn.read(stdout).contains("warm-up"), Gunicorn.read(stdout));
                long requests = Gunicorn.read(stdout).lines().count();
                assertEquals(requests, count(metrics, "app.gunicorn.request.status.200:1|c|@1.000000" + TAGS), metrics.toString());
                assertEquals(requests, metrics.stream().filter(m -> m.matches("app\\.gunicorn\\.request\\.duration:\\d+\\|ms"
                        + "\\|#env:test")).count(), metrics.toString());
                assertTrue(metrics.contains("app.gunicorn.workers:1|g" + TAGS), "the master's gauge, without the standby: "
                        + metrics);
                assertTrue(metrics.contains("app.gunicorn.log.warning:1|c|@1.000000" + TAGS),
                        "the master's warning of the unknown atom is counted: " + metrics);
            }
        }
    }

    private static long count(List<String> metrics, String line) {
        return metrics.stream().filter(line::equals).count();
    }

    /** One StatsD datagram may hold several lines. */
    private static void receive(DatagramSocket socket, List<String> metrics) {
        byte[] buffer = new byte[65536];
        try {
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).lines()
                        .filter(l -> !l.isEmpty()).forEach(metrics::add);
            }
        } catch (SocketException e) {
            // closed: the test is over
        } catch (IOException e) {
            metrics.add("receive failed: " + e);
        }
    }
}
