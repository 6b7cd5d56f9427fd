package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The control socket is not a way in: private modes, and the peer's uid checked on every request. */
class ControlSocketSecurityTest {
    @Test
    void onlyTheMastersUserAndRootMayUseTheControlSocket() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as another user");
        try (Gunicorn g = Gunicorn.hello(1)) {
            g.awaitServingWorkers(1);
            Path dir = g.dir().resolve("gunicorn.pid.ctl");
            Path socket = dir.resolve(g.pid() + ".sock");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            // Open the modes up, as a careless operator might: the uid check must still refuse.
            Files.setPosixFilePermissions(g.dir(), PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            String reply = asNobody(socket, "{\"v\":1,\"id\":\"x\",\"command\":\"scale\",\"args\":{\"workers\":5}}");
            assertTrue(reply.contains("\"code\":\"permission-denied\""), reply);
            assertEquals(1, g.workers().size(), "nothing changed");
            assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok(), "the master serves on");
        }
    }

    /** Sends one request as user nobody (with python3, to need nothing of ours on nobody's path). */
    private static String asNobody(Path socket, String request) throws Exception {
        String script = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX)\n"
                + "s.connect(sys.argv[1])\n"
                + "s.sendall(sys.argv[2].encode()+b'\\n')\n"
                + "print(s.makefile().readline())\n";
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/usr/bin/python3", "-c", script, socket.toString(), request).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }
}
