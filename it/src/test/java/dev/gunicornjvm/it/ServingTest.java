package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("signals")
class ServingTest {
    @Test
    void twoWorkerJvmsServeAndSayWhichAnswered() throws Exception {
        try (Gunicorn g = Gunicorn.hello(2)) {
            List<Long> workers = g.awaitServingWorkers(2);
            assertEquals(2, workers.size());
            assertTrue(Procs.cmdline(g.pid()).startsWith("gunicorn: master [example.HelloServlet]"),
                    "master title: " + Procs.cmdline(g.pid()));
            for (long w : workers) {
                assertTrue(Procs.cmdline(w).startsWith("gunicorn: worker [example.HelloServlet]"),
                        "worker title: " + Procs.cmdline(w));
                g.awaitOutput("\\[" + w + "\\] \\[INFO\\] Booting worker with pid: " + w, Duration.ofSeconds(30));
            }
            g.awaitOutput("\\[INFO\\] Listening at: http://127\\.0\\.0\\.1:\\d+ \\(" + g.pid() + "\\)", Duration.ofSeconds(30));
        }
    }

    @Test
    void ipv6AndUnixBindsServe() throws Exception {
        Assumptions.assumeTrue(ipv6LoopbackWorks(), "this machine has no IPv6 loopback");
        Path socket = Scratch.dir("gunicorn-sock-").resolve("app.sock");
        try (Gunicorn g = Gunicorn.start("-w", "1", "-b", "127.0.0.1:0", "-b", "[::1]:0", "-b", "unix:" + socket,
                "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            g.awaitServingWorkers(1);
            int v6Port = Integer.parseInt(g.awaitOutput("Listening at: http://\\[::1\\]:(\\d+)", Gunicorn.BOOT).group(1));
            g.awaitOutput("Listening at: unix:" + socket, Gunicorn.BOOT);
            Http.Reply v6 = Http.get("http://[::1]:" + v6Port + "/");
            assertTrue(v6.ok(), "IPv6: " + v6);
            Http.Reply unix = Http.getUnix(socket, "/");
            assertEquals(200, unix.status(), "unix: " + unix);
            assertTrue(unix.body().startsWith("Hello from worker"), unix.body());
            g.signal("QUIT");
            assertEquals(0, g.awaitExit(Duration.ofSeconds(10)));
            assertTrue(Files.notExists(socket), "the master removes its unix socket on exit");
        }
    }

    @Test
    void accessLogHasGunicornsDefaultFormat() throws Exception {
        Path dir = Scratch.dir("gunicorn-log-");
        Path access = dir.resolve("access.log");
        try (Gunicorn g = Gunicorn.hello(1, "--access-logfile", access.toString())) {
            g.awaitServingWorkers(1);
            Http.Reply r = Http.get(g.url("/some/path?x=1"));
            assertTrue(r.ok());
            Wait.until("an access log line for /some/path", Duration.ofSeconds(30),
                    () -> Gunicorn.read(access).contains("/some/path"));
            String line = Gunicorn.read(access).lines().filter(l -> l.contains("/some/path")).findFirst().orElseThrow();
            assertTrue(line.matches("127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] "
                    + "\"GET /some/path\\?x=1 HTTP/1\\.1\" 200 \\d+ \"-\" \"Java-http-client/[^\"]+\""), line);
        }
    }

    @Tag("once") // master logic only: run on JDK 17, not again on 25 (it/pom.xml)
    @Test
    void pidfileNamesTheMasterWhileItRunsAndIsRemovedAtExit() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1)) {
            Path pidfile = g.dir().resolve("gunicorn.pid");
            g.awaitServingWorkers(1);
            assertEquals(Long.toString(g.pid()), Gunicorn.read(pidfile).trim());
            try (Gunicorn second = Gunicorn.start("-w", "1", "-b", "127.0.0.1:0", "-p", pidfile.toString(),
                    "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
                assertEquals(1, second.awaitExit(Duration.ofSeconds(20)));
                assertTrue(second.output().contains("Already running on PID " + g.pid()), second.output());
            }
            g.signal("QUIT");
            assertEquals(0, g.awaitExit(Duration.ofSeconds(10)));
            assertTrue(Files.notExists(pidfile), "pidfile removed at exit");
        }
    }

    @Tag("once") // master logic only: run on JDK 17, not again on 25 (it/pom.xml)
    @Test
    void staleSocketFileAndStalePidfileDoNotStopAStart() throws Exception {
        Path dir = Scratch.dir("gunicorn-stale-");
        Path socket = dir.resolve("app.sock");
        Path pidfile = dir.resolve("app.pid");
        Files.writeString(pidfile, "999999\n"); // no such process
        try (Gunicorn first = Gunicorn.start("-w", "1", "-b", "unix:" + socket, "-p", pidfile.toString(),
                "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            Wait.until("the first master to serve on " + socket, Gunicorn.BOOT, () -> Http.getUnix(socket, "/").ok());
            Procs.kill("KILL", first.pid()); // leaves the socket file and the pidfile behind
            first.awaitExit(Duration.ofSeconds(10));
            first.awaitAllGone(Duration.ofSeconds(10));
        }
        assertTrue(Files.exists(socket));
        try (Gunicorn second = Gunicorn.start("-w", "1", "-b", "unix:" + socket, "-p", pidfile.toString(),
                "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            Wait.until("the second master to serve on " + socket, Gunicorn.BOOT, () -> Http.getUnix(socket, "/").ok());
            assertEquals(Long.toString(second.pid()), Gunicorn.read(pidfile).trim());
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
