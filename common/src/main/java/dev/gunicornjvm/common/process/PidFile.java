package dev.gunicornjvm.common.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A pidfile: written atomically (temp file, then rename), so a reader never sees half a pid.
 *
 * <p>A master often runs as root with its pidfile in a directory others may write to. So no step here
 * follows a symbolic link someone planted: the temporary file gets an unguessable name and is created
 * with O_CREAT|O_EXCL, which fails on any existing name, a symlink included; rename(2) replaces the
 * name, never the file a symlink there points to; unlink removes a link, not its target; and reading
 * refuses anything but a regular file, so a planted FIFO cannot block the master either.
 */
public record PidFile(Path path) {
    /** A pid, a newline and some slack: a pidfile larger than this is not ours. */
    private static final int MAX_BYTES = 32;

    public void write(int pid) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try {
            Files.writeString(temp, pid + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** The pid it names; empty if it is missing, not a regular file (a symlink, a FIFO) or not a pid. */
    public OptionalInt read() {
        try {
            if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
                return OptionalInt.empty();
            }
            // O_NOFOLLOW as well: the name may have become a symlink since we looked.
            try (SeekableByteChannel in = Files.newByteChannel(path, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                ByteBuffer bytes = ByteBuffer.allocate(MAX_BYTES + 1);
                while (bytes.hasRemaining() && in.read(bytes) > 0) {
                    // read until full or at the end
                }
                if (bytes.position() > MAX_BYTES) {
                    return OptionalInt.empty();
                }
                String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).trim();
                return OptionalInt.of(Integer.parseInt(text));
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * Renames this pidfile to {@code target} if it names {@code pid} (the .oldbin dance of an upgrade);
     * returns the pidfile at its new name, or null if there was nothing of ours to rename. A symlink
     * at {@code target} is replaced, not followed.
     */
    public PidFile renameIfOwnedBy(int pid, Path target) throws IOException {
        if (read().orElse(-1) != pid) {
            return null;
        }
        Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new PidFile(target);
    }

    /** Removes the file only if it still names {@code pid}: another master may have taken it over. */
    public void removeIfOwnedBy(int pid) {
        if (read().orElse(-1) == pid) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // Nothing useful to do at exit; the next start treats a stale pidfile as stale.
            }
        }
    }
}
