package dev.gunicornjvm.master.app;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one check of "is this directory safe for me", on real directories. */
class PrivateDirectoryTest {
    /** A uid with no passwd entry: ownership is compared by number. */
    private static final int STRANGER = 54_321;

    @TempDir
    Path dir;

    @Test
    void aMissingDirectoryIsMadeWithItsModeAndOneOfOursIsAccepted() throws IOException {
        Path made = dir.resolve("a/b/ctl");
        PrivateDirectory.createSafe(made, PosixFilePermissions.fromString("rwx------"), myUid());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
        assertDoesNotThrow(() -> PrivateDirectory.createSafe(made, PosixFilePermissions.fromString("rwx------"), myUid()));
        Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertDoesNotThrow(() -> PrivateDirectory.requireSafe(made, myUid()), "others may read, not write");
    }

    @Test
    void oneOthersMayWriteIsRefusedWithHowToFixIt() throws IOException {
        for (String mode : new String[] {"rwxrwxrwx", "rwxrwx---", "rwx----w-"}) {
            Path open = Files.createDirectories(dir.resolve(mode));
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString(mode));
            IOException e = assertThrows(IOException.class, () -> PrivateDirectory.requireSafe(open, myUid()));
            assertEquals(open + " may be written by others (make it private: chmod go-w " + open + ")", e.getMessage());
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(open)), "left as it was");
        }
    }

    @Test
    void aSymlinkOrAFileIsRefused() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        IOException e = assertThrows(IOException.class,
                () -> PrivateDirectory.createSafe(link, PosixFilePermissions.fromString("rwx------"), myUid()));
        assertTrue(e.getMessage().startsWith(link + " is a symbolic link"), e.getMessage());
        Path file = Files.writeString(dir.resolve("file"), "x");
        e = assertThrows(IOException.class, () -> PrivateDirectory.requireSafe(file, myUid()));
        assertTrue(e.getMessage().startsWith(file + " exists and is not a directory"), e.getMessage());
    }

    @Test
    void oneMadeByAnotherUidIsRefusedWhateverItsMode() throws IOException {
        Assumptions.assumeTrue(myUid() == 0, "only root can give a directory away (CI runs as root)");
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", STRANGER, LinkOption.NOFOLLOW_LINKS);
        for (String mode : new String[] {"rwx------", "rwxrwxrwx"}) {
            Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString(mode));
            IOException e = assertThrows(IOException.class,
                    () -> PrivateDirectory.createSafe(theirs, PosixFilePermissions.fromString("rwx------"), 0));
            assertEquals(theirs + " belongs to uid " + STRANGER + ", not to uid 0 that the master runs as"
                    + " (remove it, or chown 0 " + theirs + ")", e.getMessage());
        }
    }

    static int myUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
