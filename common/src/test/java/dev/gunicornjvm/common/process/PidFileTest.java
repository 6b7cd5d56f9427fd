package dev.gunicornjvm.common.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files in a temporary directory: what someone else planted at the pidfile's names stays untouched. */
class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void writesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        PidFile pidFile = new PidFile(dir.resolve("app.pid"));
        pidFile.write(1234);
        pidFile.write(5678);
        assertEquals("5678\n", Files.readString(pidFile.path()));
        assertEquals(OptionalInt.of(5678), pidFile.read());
        assertEquals(List.of(dir.resolve("app.pid")), files());
    }

    @Test
    void aSymlinkAtThePidfileIsReplacedAndItsTargetUntouched() throws IOException {
        Path precious = Files.writeString(dir.resolve("precious"), "do not truncate me");
        Path pid = Files.createSymbolicLink(dir.resolve("app.pid"), precious);
        new PidFile(pid).write(1234);
        assertEquals("do not truncate me", Files.readString(precious));
        assertTrue(Files.isRegularFile(pid, LinkOption.NOFOLLOW_LINKS), "the link itself was replaced");
        assertEquals("1234\n", Files.readString(pid));
    }

    @Test
    void symlinksAtTheOldPredictableTemporaryNamesAreNeverFollowed() throws IOException {
        Path precious = Files.writeString(dir.resolve("precious"), "do not truncate me");
        for (int pid : new int[] {1234, 4321}) {
            Files.createSymbolicLink(dir.resolve("app.pid.tmp" + pid), precious);
        }
        new PidFile(dir.resolve("app.pid")).write(1234);
        assertEquals("do not truncate me", Files.readString(precious));
        assertEquals("1234\n", Files.readString(dir.resolve("app.pid")));
    }

    @Test
    void aSymlinkOrAFifoOrAHugeFileIsNotAPid() throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "1234\n");
        assertEquals(OptionalInt.empty(), new PidFile(Files.createSymbolicLink(dir.resolve("link.pid"), elsewhere)).read());
        assertEquals(OptionalInt.empty(), new PidFile(Files.writeString(dir.resolve("big.pid"), "0".repeat(100) + "1")).read());
        assertEquals(OptionalInt.empty(), new PidFile(dir.resolve("missing.pid")).read());

        Path fifo = dir.resolve("fifo.pid");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        // Opening a FIFO with nobody at the other end would block for ever.
        assertEquals(OptionalInt.empty(), assertTimeoutPreemptively(Duration.ofSeconds(5), () -> new PidFile(fifo).read()));
    }

    @Test
    void renameAndRemoveTouchOnlyAPidfileThatNamesUs() throws IOException {
        Path precious = Files.writeString(dir.resolve("precious"), "do not truncate me");
        Path oldbin = Files.createSymbolicLink(dir.resolve("app.pid.oldbin"), precious);
        PidFile pidFile = new PidFile(dir.resolve("app.pid"));
        pidFile.write(1234);

        assertEquals(null, pidFile.renameIfOwnedBy(999, oldbin), "not ours: left alone");
        PidFile renamed = pidFile.renameIfOwnedBy(1234, oldbin);
        assertNotNull(renamed);
        assertEquals("do not truncate me", Files.readString(precious), "the link at .oldbin was replaced, not followed");
        assertEquals(OptionalInt.of(1234), renamed.read());
        assertFalse(Files.exists(pidFile.path()));

        renamed.removeIfOwnedBy(999);
        assertTrue(Files.exists(oldbin), "not ours: left alone");
        renamed.removeIfOwnedBy(1234);
        assertFalse(Files.exists(oldbin));
        assertEquals("do not truncate me", Files.readString(precious));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
