package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.posix.Posix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a Type=notify unit hears on NOTIFY_SOCKET, through a reload and an upgrade and its revert. */
@Tag("signals")
class SystemdNotifyTest {
    private static final Duration STEP = Duration.ofSeconds(60);

    @Test
    void theMainPidFollowsTheUpgradeAndEveryStateIsAnnounced() throws Exception {
        Posix posix = Posix.get();
        Path dir = Scratch.dir("gunicorn-notify-");
        Path socket = dir.resolve("notify.sock");
        int fd = posix.sockets().bindDatagram(socket.toString());
        List<String> heard = new ArrayList<>();
        Path pidfile = dir.resolve("app.pid");
        try (Gunicorn g = Gunicorn.start(Map.of("NOTIFY_SOCKET", socket.toString()), "-w", "1", "-b", "127.0.0.1:0",
                "-p", pidfile.toString(), "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            await(posix, fd, heard, "READY=1\nMAINPID=" + g.pid() + "\n");
            g.signal("HUP");
            await(posix, fd, heard, "RELOADING=1");
            await(posix, fd, heard, "READY=1\nMAINPID=" + g.pid() + "\n");

            g.signal("USR2");
            long fresh = Long.parseLong(g.awaitOutput("started a new master \\(pid: (\\d+)\\)", STEP).group(1));
            g.workersOf(fresh);
            await(posix, fd, heard, "READY=1\nMAINPID=" + fresh + "\n");
            Procs.kill("QUIT", fresh); // revert: the old master is the main process again
            await(posix, fd, heard, "READY=1\nMAINPID=" + g.pid() + "\n");

            g.signal("QUIT");
            await(posix, fd, heard, "STOPPING=1");
            g.awaitExit(STEP);
        } finally {
            posix.close(fd);
        }
    }

    /** Waits for a datagram containing {@code text} that arrives after the ones already heard. */
    private static void await(Posix posix, int fd, List<String> heard, String text) {
        Wait.until("'" + text.replace("\n", "\\n") + "' on NOTIFY_SOCKET (heard " + heard + ")", STEP, () -> {
            while (true) {
                var datagram = posix.sockets().receiveNow(fd);
                if (datagram.isEmpty()) {
                    return false;
                }
                String message = new String(datagram.get(), StandardCharsets.UTF_8);
                heard.add(message);
                if (message.contains(text)) {
                    return true;
                }
            }
        });
        assertTrue(heard.get(heard.size() - 1).contains(text));
    }
}
