package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A master started as root binds a privileged port; its workers run as --user; the control socket stays root's. */
class PrivilegeTest {
    @Test
    void workersDropToTheUserWhileTheMasterKeepsThePrivilegedPortAndItsControlSocket() throws Exception {
        Root.assume();
        Path install = worldReadableCopyOfTheInstallation();
        Path dir = Scratch.dir("gunicorn-priv-");
        Path errorLog = dir.resolve("error.log");
        try (ThrowawayUser user = ThrowawayUser.create()) {
            int port = freePrivilegedPort();
            try (Gunicorn g = Gunicorn.startWith(install.resolve("bin/gunicorn"), Map.of(), "-w", "1",
                    "-u", user.name, "-m", "0o22", "-b", "127.0.0.1:" + port, "-p", dir.resolve("app.pid").toString(),
                    "--error-logfile", errorLog.toString(), "-cp", install.resolve("hello.jar").toString(), Gunicorn.HELLO)) {
                long worker = g.awaitServingWorkers(1).get(0);
                assertTrue(Http.getClosing("127.0.0.1", port, "/").ok(), "serves on privileged port " + port);
                assertEquals("0", uid(g.pid()), "the master stays root");
                assertEquals(Integer.toString(user.uid), uid(worker), "the worker runs as " + user.name);
                Path socket = dir.resolve("app.pid.ctl").resolve(g.pid() + ".sock");
                assertEquals(0, Root.uid(socket));
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
                g.awaitOutput("Workers run as user " + user.name + " \\(" + user.uid + "\\)", java.time.Duration.ofSeconds(5));

                // The workers' uid may use the socket (a deploy user that is the -u user needs no sudo),
                // checked by number, once the modes let it reach the socket at all.
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
                Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
                String reply = Root.controlRequestAs(user.uid, socket, "{\"v\":1,\"id\":\"x\",\"command\":\"status\"}");
                assertTrue(reply.contains("\"ok\":true"), reply);
            }
        } finally {
            Root.deleteTree(dir);
            Root.deleteTree(install);
        }
    }

    /**
     * With -u the archive directory stays the master's (0755, so workers can read it); the training run,
     * as the workers' user, writes into a private directory of its own, and the master renames its
     * archive into place, where the next worker maps it.
     */
    @Test
    void workersOfAnotherUserGetTheirArchiveThroughTheMastersOwnDirectory() throws Exception {
        Root.assume();
        Path install = worldReadableCopyOfTheInstallation();
        Path dir = Scratch.dir("gunicorn-priv-");
        try (ThrowawayUser user = ThrowawayUser.create()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path cds = dir.resolve("cds");
            try (Gunicorn g = Gunicorn.startWith(install.resolve("bin/gunicorn"), Map.of(), "-w", "1", "-u", user.name,
                    "-b", "127.0.0.1:0", "-p", dir.resolve("app.pid").toString(), "--worker-cds", cds.toString(),
                    "-cp", install.resolve("hello.jar").toString(), Gunicorn.HELLO)) {
                List<Long> first = g.awaitServingWorkers(1);
                Path archive = Path.of(g.awaitOutput(
                        "Workers now start with the class-data sharing archive (\\S+) \\(made in \\d+ ms\\)", Gunicorn.BOOT).group(1));
                assertEquals(0, Root.uid(cds), "the directory is the master's");
                assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(cds)));
                Wait.until("the training directory to be removed", Duration.ofSeconds(10), () -> {
                    try (Stream<Path> files = Files.list(cds)) {
                        return files.toList().equals(List.of(archive));
                    } catch (IOException e) {
                        return false;
                    }
                });
                g.signal("TTIN");
                long added = g.awaitServingWorkers(2).stream().filter(p -> !first.contains(p)).findFirst().orElseThrow();
                assertEquals(Integer.toString(user.uid), uid(added));
                assertTrue(Files.readString(Path.of("/proc", Long.toString(added), "maps")).contains(archive.toString()),
                        "worker " + added + " maps " + archive);
            }
        } finally {
            Root.deleteTree(dir);
            Root.deleteTree(install);
        }
    }

    /** The tests' checkout may sit where the workers' user cannot read; a copy under a 0755 directory can be read. */
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
