package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.control.ControlResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control socket is not a way in: private modes, and the peer's uid checked on every request. */
class ControlSocketSecurityTest {
    @Test
    void onlyTheMastersUidAndRootMayUseTheControlSocket() throws Exception {
        Root.assume();
        try (Gunicorn g = Gunicorn.hello(1)) {
            g.awaitServingWorkers(1);
            Path dir = g.dir().resolve("gunicorn.pid.ctl");
            Path socket = dir.resolve(g.pid() + ".sock");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            // Open the modes up, as a careless operator might: the uid check must still refuse. The
            // stranger's uid has no passwd entry, so only a check by number can judge it.
            Files.setPosixFilePermissions(g.dir(), PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            String reply = Root.controlRequestAs(Root.STRANGER, socket,
                    "{\"v\":1,\"id\":\"x\",\"command\":\"scale\",\"args\":{\"workers\":5}}");
            assertTrue(reply.contains("\"code\":\"permission-denied\""), reply);
            g.awaitOutput("Refused a control request from uid " + Root.STRANGER, Duration.ofSeconds(5));
            assertEquals(1, g.workers().size(), "nothing changed");

            ControlResponse asRoot = ControlClient.call(socket, "status", Map.of());
            assertTrue(asRoot.ok(), "root, the master's own uid, is answered: " + asRoot);
            assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok(), "the master serves on");
        }
    }
}
