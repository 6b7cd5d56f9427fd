package dev.gunicornjvm.common.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalInt;

/** A pidfile: written atomically (temp file, then rename), so a reader never sees half a pid. */
public record PidFile(Path path) {
    public void write(int pid) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp" + pid);
        Files.writeString(temp, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public OptionalInt read() {
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(path, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * Renames this pidfile to {@code target} if it names {@code pid} (the .oldbin dance of an upgrade);
     * returns the pidfile at its new name, or null if there was nothing of ours to rename.
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
