package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A master started as root binds a privileged port; its workers run as --user; the control socket stays root's. */
class PrivilegeTest {
    @Test
    void workersDropToTheUserWhileTheMasterKeepsThePrivilegedPortAndItsControlSocket() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Path install = worldReadableCopyOfTheInstallation();
        int port = freePrivilegedPort();
        Path dir = Scratch.dir("gunicorn-priv-");
        Path errorLog = dir.resolve("error.log");
        try (Gunicorn g = Gunicorn.startWith(install.resolve("bin/gunicorn"), Map.of(), "-w", "1",
                "-u", "nobody", "-m", "0o22", "-b", "127.0.0.1:" + port, "-p", dir.resolve("app.pid").toString(),
                "--error-logfile", errorLog.toString(), "-cp", install.resolve("hello.jar").toString(), Gunicorn.HELLO)) {
            long worker = g.awaitServingWorkers(1).get(0);
            assertTrue(Http.getClosing("127.0.0.1", port, "/").ok(), "serves on privileged port " + port);
            assertEquals("0", uid(g.pid()), "the master stays root");
            assertEquals("65534", uid(worker), "the worker runs as nobody");
            Path socket = dir.resolve("app.pid.ctl").resolve(g.pid() + ".sock");
            assertEquals("root", Files.getOwner(socket).getName());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            g.awaitOutput("Workers run as user nobody \\(65534\\)", Duration.ofSeconds(30));
        }
    }

    /** The tests' checkout may sit where nobody cannot read; a copy under a 0755 directory can be. */
    private static Path worldReadableCopyOfTheInstallation() throws IOException {
        Path install = Installation.copy();
        Files.copy(Gunicorn.HELLO_JAR, install.resolve("hello.jar"));
        return install;
    }

    private static int freePrivilegedPort() throws IOException {
        for (int port = 801; port < 1000; port++) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                return port;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new IOException("no free port below 1000");
    }

    private static String uid(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
    }
}
