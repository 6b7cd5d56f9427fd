package dev.gunicornjvm.master.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher on real files, with a short quiet period: the ways a file is replaced in practice (in
 * place, renamed over, a Kubernetes ConfigMap's symlink swap) and a tree of classes.
 */
class ChangeWatcherTest {
    private static final long QUIET_MILLIS = 300;
    /** Long enough for the watcher (events, or its once-a-second comparison) on a loaded machine. */
    private static final long SEEN_MILLIS = 10_000;

    @TempDir
    Path dir;
    private final BlockingQueue<List<Path>> bursts = new LinkedBlockingQueue<>();
    private ChangeWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void watch(List<Path> files, List<Path> trees) throws IOException {
        watcher = ChangeWatcher.start(new WatchSet(files, trees), TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS),
                System::nanoTime, bursts::add);
    }

    private List<Path> nextBurst() throws InterruptedException {
        List<Path> burst = bursts.poll(SEEN_MILLIS, TimeUnit.MILLISECONDS);
        assertNotNull(burst, "a change reported within " + SEEN_MILLIS + " ms");
        return burst;
    }

    /** Nothing more within a few quiet periods (a bounded wait: what is checked is that nothing comes). */
    private void assertNoMoreBursts() throws InterruptedException {
        assertNull(bursts.poll(2 * QUIET_MILLIS, TimeUnit.MILLISECONDS), "one report per burst");
    }

    @Test
    void aJarWrittenInPlaceInPiecesIsOneChange() throws Exception {
        Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1});
        watch(List.of(jar), List.of());
        try (OutputStream out = Files.newOutputStream(jar)) {
            for (int i = 0; i < 5; i++) {
                out.write(new byte[1000]);
                out.flush();
                Thread.sleep(20); // a slow writer: pauses far shorter than the quiet period
            }
        }
        assertEquals(List.of(jar), nextBurst());
        assertNoMoreBursts();
    }

    @Test
    void aJarRenamedOverIsSeenAndItsTemporaryFileIsNot() throws Exception {
        Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1});
        Files.write(dir.resolve("other.jar"), new byte[] {1});
        watch(List.of(jar), List.of());
        Path tmp = Files.write(dir.resolve("app.jar.tmp"), new byte[] {1}); // same size, same second: another inode
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(List.of(jar), nextBurst());
        Files.write(dir.resolve("other.jar"), new byte[] {2, 3}); // unwatched, in the same directory
        assertNoMoreBursts();
    }

    @Test
    void aConfigMapSymlinkSwapIsSeen() throws Exception {
        // kubelet's layout: gunicorn.toml -> ..data/gunicorn.toml, ..data -> ..TIMESTAMP; an update writes a
        // new ..TIMESTAMP2 directory, makes ..data_tmp point at it and renames ..data_tmp over ..data.
        Path first = Files.createDirectory(dir.resolve("..2026_01"));
        Files.writeString(first.resolve("gunicorn.toml"), "workers = 1\n");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path config = Files.createSymbolicLink(dir.resolve("gunicorn.toml"), Path.of("..data/gunicorn.toml"));
        watch(List.of(config), List.of());
        Path second = Files.createDirectory(dir.resolve("..2026_02"));
        Files.writeString(second.resolve("gunicorn.toml"), "workers = 2\n");
        Path tmpLink = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(tmpLink, dir.resolve("..data"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(List.of(config), nextBurst());
        assertEquals("workers = 2\n", Files.readString(config));
        assertNoMoreBursts();
    }

    @Test
    void anyChangeUnderATreeCountsNewDirectoriesToo() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/app"));
        Files.writeString(classes.resolve("A.class"), "a");
        watch(List.of(), List.of(dir.resolve("classes")));
        Files.writeString(classes.resolve("A.class"), "a2");
        assertTrue(nextBurst().contains(classes.resolve("A.class")));
        Path sub = Files.createDirectory(classes.resolve("sub"));
        assertTrue(nextBurst().contains(sub));
        Files.writeString(sub.resolve("B.class"), "b"); // in the directory made after the watch began
        assertTrue(nextBurst().contains(sub.resolve("B.class")));
        assertNoMoreBursts();
    }

    @Test
    void aNewSetIsFollowedAndTheOldFilesNoLongerCount() throws Exception {
        Path one = Files.writeString(dir.resolve("one.jar"), "1");
        Path two = Files.writeString(dir.resolve("two.jar"), "2");
        watch(List.of(one), List.of());
        WatchSet next = new WatchSet(List.of(two), List.of());
        watcher.watch(next);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SEEN_MILLIS);
        while (!watcher.watching().equals(next)) { // taken up on the watcher's next wake-up, within a second
            assertTrue(System.nanoTime() - deadline < 0, "the new set taken up");
            Thread.sleep(10);
        }
        Files.writeString(one, "11");
        Files.writeString(two, "22");
        assertEquals(List.of(two), nextBurst());
        assertNoMoreBursts();
    }
}
