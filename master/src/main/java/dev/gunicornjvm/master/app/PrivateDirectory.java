package dev.gunicornjvm.master.app;

import dev.gunicornjvm.common.posix.FileOwner;
import dev.gunicornjvm.common.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Directories whose files workers trust (runtime files, class-data sharing archives, session files):
 * made 0700 and given to the workers' user, and checked that nobody else may write to them.
 */
public final class PrivateDirectory {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDirectory() {
    }

    /** A new directory of a name nobody can guess ({@code mkdtemp}), in the temporary directory. */
    public static Path createTemp(Posix posix, String prefix, FileOwner owner) throws IOException {
        Path dir = Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        giveTo(posix, dir, owner);
        return dir;
    }

    /** Makes {@code dir} (and its parents) if it is missing, private to {@code owner}; one that exists is left as it is. */
    public static void ensure(Posix posix, Path dir, FileOwner owner) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
            giveTo(posix, dir, owner);
        }
    }

    /** True if its group or others may write to it: whatever a worker reads from it could be planted. */
    public static boolean othersMayWrite(Path dir) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        return permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** Removes a directory of ours and everything in it; nothing to report if it is gone already. */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", dir, e.toString());
        }
    }

    private static void giveTo(Posix posix, Path dir, FileOwner owner) {
        if (owner != null) {
            posix.chown(dir.toString(), owner.uid(), owner.gid());
        }
    }
}
