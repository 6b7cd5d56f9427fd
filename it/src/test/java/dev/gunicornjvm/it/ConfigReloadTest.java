package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A -c config file read again on HUP, and the precedence of the sources. */
@Tag("signals")
class ConfigReloadTest {
    private static String config(int port, int workers) {
        return "# written by ConfigReloadTest\n"
                + "app = \"" + Gunicorn.HELLO + "\"\n"
                + "classpath = [\"" + Gunicorn.HELLO_JAR + "\"]\n"
                + "bind = [\"127.0.0.1:" + port + "\"]\n"
                + "workers = " + workers + "\n";
    }

    @Test
    void hupReadsTheFileAgainMovesTheBindAndKeepsServingOnABrokenFile() throws Exception {
        Path file = Scratch.dir("gunicorn-conf-").resolve("gunicorn.toml");
        int first = freePort();
        int second = freePort();
        Files.writeString(file, config(first, 1));
        try (Gunicorn g = Gunicorn.start("-c", file.toString())) {
            g.awaitServingWorkers(1);

            Files.writeString(file, config(second, 2));
            g.signal("HUP");
            g.awaitOutput("Listening at: http://127.0.0.1:" + second, Duration.ofSeconds(30));
            g.awaitOutput("Closed listener http://127.0.0.1:" + first + " \\(no longer bound\\)", Duration.ofSeconds(30));
            Wait.until("two workers on the new port", Gunicorn.BOOT,
                    () -> g.workers().size() == 2 && Http.getClosing("127.0.0.1", second, "/").ok());
            assertFalse(Http.getClosing("127.0.0.1", first, "/").ok(), "the old bind is closed");

            g.signal("TTIN");
            g.awaitOutput("Number of workers: 3 \\(TTIN\\)", Duration.ofSeconds(30));
            g.signal("HUP"); // the file's count did not change: the TTIN stays
            g.awaitOutput("Generation 3 is serving", Duration.ofSeconds(30));
            Wait.until("three workers", Gunicorn.BOOT, () -> g.workers().size() == 3);

            Files.writeString(file, "workers = = 3\n");
            g.signal("HUP");
            g.awaitOutput("Reload failed, keeping the running configuration: .*gunicorn.toml", Duration.ofSeconds(30));
            assertTrue(Http.getClosing("127.0.0.1", second, "/").ok());

            Files.writeString(file, config(second, 1)); // the file's count changed: it wins
            g.signal("HUP");
            g.awaitOutput("Generation 4 is serving", Duration.ofSeconds(30));
            Wait.until("one worker", Gunicorn.BOOT, () -> g.workers().size() == 1);
            assertTrue(Http.getClosing("127.0.0.1", second, "/").ok());
        }
    }

    @Test
    void theSameAddressWrittenDifferentlyKeepsItsListener() throws Exception {
        Path file = Scratch.dir("gunicorn-conf-same-").resolve("gunicorn.toml");
        int port = freePort();
        Files.writeString(file, config(port, 1));
        try (Gunicorn g = Gunicorn.start("-c", file.toString())) {
            g.awaitServingWorkers(1);
            Files.writeString(file, config(port, 1).replace("127.0.0.1:" + port, "localhost:" + port));
            g.signal("HUP");
            g.awaitOutput("Generation 2 is serving", Duration.ofSeconds(30));
            assertFalse(g.output().contains("cannot listen"), g.output());
            assertTrue(Http.getClosing("127.0.0.1", port, "/").ok());
        }
    }

    @Test
    void commandLineBeatsGunicornCmdArgsWhichBeatsTheFile() throws Exception {
        Path file = Scratch.dir("gunicorn-prec-").resolve("gunicorn.toml");
        Files.writeString(file, config(freePort(), 1) + "threads = 3\ntimeout = 11\n");
        try (Gunicorn g = Gunicorn.start(Map.of("GUNICORN_CMD_ARGS", "--threads 5 --timeout 12"),
                "-c", file.toString(), "--timeout", "13", "--print-config")) {
            assertEquals(0, g.awaitExit(Duration.ofSeconds(30)), g.output());
            List<String> lines = g.output().lines().toList();
            assertTrue(lines.contains("workers = 1"), g.output());
            assertTrue(lines.contains("threads = 5"), g.output());
            assertTrue(lines.contains("timeout = 13"), g.output());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
