package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests that act as other users. CI runs as root, so they run there; on a developer's machine as
 * another user they are skipped. Other uids are plain numbers run with {@code setpriv}, which needs no
 * passwd entry; a test that needs a named user (for -u) makes one with {@link ThrowawayUser}.
 */
final class Root {
    /** A uid nobody on the machine has (no passwd entry): the stranger of these tests. */
    static final int STRANGER = 54_321;

    private Root() {
    }

    /** Skips the test unless it runs as root (by uid, not by the name user.name gives). */
    static void assume() {
        Assumptions.assumeTrue(uid(Path.of("/proc/self")) == 0, "needs root (CI runs as root) to act as another uid");
    }

    static int uid(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends one control request line as {@code uid} and returns the reply line. The client is this
     * JDK running a one-file program from a directory everyone may read, so the other uid needs nothing
     * of the checkout (which may sit where it cannot read) and nothing but the JDK on the machine.
     */
    static String controlRequestAs(int uid, Path socket, String request) throws IOException, InterruptedException {
        Path dir = Scratch.dir("gunicorn-peer-");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path source = Files.writeString(dir.resolve("Peer.java"), """
                    import java.io.*; import java.net.*; import java.nio.*; import java.nio.channels.*; import java.nio.charset.*;
                    public class Peer {
                        public static void main(String[] a) throws Exception {
                            try (SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                                s.connect(UnixDomainSocketAddress.of(a[0]));
                                s.write(ByteBuffer.wrap((a[1] + "\\n").getBytes(StandardCharsets.UTF_8)));
                                // One line, as the protocol answers: a refused peer's request is never read,
                                // so the master's close may reset the connection after its answer.
                                System.out.println(new BufferedReader(new InputStreamReader(
                                        Channels.newInputStream(s), StandardCharsets.UTF_8)).readLine());
                            }
                        }
                    }
                    """);
            Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
            List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
                    source.toString(), socket.toString(), request));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the client as uid " + uid + " finished");
                return out;
            } finally {
                p.destroyForcibly();
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Removes a test's temporary directory and everything in it. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left for the system's temporary-file cleaner
        }
    }
}
