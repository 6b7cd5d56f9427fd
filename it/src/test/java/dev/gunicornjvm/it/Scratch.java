package dev.gunicornjvm.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Temporary directories that go away with the test that made them, passed or failed. Every directory a
 * test or a helper needs comes from {@link #dir}: inside one directory per test (or per class, for what
 * a {@code @BeforeAll} makes), which this JUnit extension removes after the test (or the class). It is
 * registered for every test class through META-INF/services (junit-platform.properties turns that on),
 * so no test can forget it.
 *
 * <p>The processes a test starts get their TMPDIR in there too ({@link Gunicorn}, {@link GunictlCli},
 * {@link ShellPty}), so what they leave behind goes as well: a master killed with -9 leaves its runtime
 * and session directories. The helpers kill their processes before the test ends, so nothing writes
 * into a directory while it is removed.
 *
 * <p>Static state, because the helpers are static and JUnit runs the tests of this module one at a time.
 */
public final class Scratch implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private static Path classRoot;
    private static Path testRoot;
    private static boolean inTest;
    /** Numbers the directories in a root: short names, as a control socket's whole path must fit in 107 bytes. */
    private static int made;

    /**
     * A new directory, mode 0755: workers that switch to another user (PrivilegeTest) must reach the
     * installation and the runtime directory below it.
     */
    static synchronized Path dir(String prefix) {
        try {
            Path root = inTest ? testRoot() : classRoot();
            return open(Files.createDirectory(root.resolve(prefix + ++made)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path testRoot() throws IOException {
        if (testRoot == null) {
            testRoot = open(Files.createTempDirectory("gunicorn-it-"));
        }
        return testRoot;
    }

    private static Path classRoot() throws IOException {
        if (classRoot == null) {
            classRoot = open(Files.createTempDirectory("gunicorn-it-class-"));
        }
        return classRoot;
    }

    private static Path open(Path dir) throws IOException {
        return Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (Scratch.class) {
            inTest = true;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Path root;
        synchronized (Scratch.class) {
            inTest = false;
            root = testRoot;
            testRoot = null;
        }
        delete(root);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Path root;
        synchronized (Scratch.class) {
            root = classRoot;
            classRoot = null;
        }
        delete(root);
    }

    /**
     * Removes a directory and everything in it. Retried for a moment: a process killed by the test may
     * still be on its way out of a file in there.
     */
    static void delete(Path root) {
        if (root == null) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                deleteOnce(root);
                return;
            } catch (IOException | UncheckedIOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("cannot remove the test's temporary directory " + root + ": " + e, e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while removing " + root);
                }
            }
        }
    }

    private static void deleteOnce(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted(Comparator.reverseOrder()).toList(); // children before their directory
        }
        for (Path p : all) {
            try {
                Files.delete(p);
            } catch (NoSuchFileException gone) {
                // removed meanwhile (a master cleaning up after itself): fine
            }
        }
    }
}
