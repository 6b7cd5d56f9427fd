package dev.gunicornjvm.master.app;

import dev.gunicornjvm.common.posix.FileOwner;
import dev.gunicornjvm.common.posix.Posix;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
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
 *
 * <p>{@link #requireSafe} is the one place that decides whether a directory that may already exist
 * (the control directory, the class-data sharing directory) is safe for the master to use.
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

    /** The same, inside {@code parent}. */
    public static Path createTemp(Posix posix, Path parent, String prefix, FileOwner owner) throws IOException {
        Path dir = Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
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

    /**
     * Makes {@code dir} with these permissions if it is missing (its parents as usual), then checks
     * it with {@link #requireSafe}, whoever made it: another user may have made it first.
     */
    public static void createSafe(Path dir, Set<PosixFilePermission> permissions, int uid) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                // Made with its final mode (the umask can only take more away), so it is never open to others.
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(permissions));
            } catch (FileAlreadyExistsException raced) {
                // Someone made it between our look and our mkdir: requireSafe judges theirs.
            }
        }
        requireSafe(dir, uid);
    }

    /**
     * Refuses a directory that someone other than {@code uid} could have put files in: a symbolic link
     * (its target is anyone's choice), not a directory, owned by another uid, or writable by its group
     * or others. The message is one line saying what is wrong and how to fix it. Ownership is compared
     * by number, so a uid without a passwd entry is judged like any other.
     */
    public static void requireSafe(Path dir, int uid) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw new IOException(dir + " is a symbolic link (use a real directory owned by uid " + uid + ")");
        }
        if (!a.isDirectory()) {
            throw new IOException(dir + " exists and is not a directory (remove it, or choose another directory)");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != uid) {
            throw new IOException(dir + " belongs to uid " + owner + ", not to uid " + uid
                    + " that the master runs as (remove it, or chown " + uid + " " + dir + ")");
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE) || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " may be written by others (make it private: chmod go-w " + dir + ")");
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
