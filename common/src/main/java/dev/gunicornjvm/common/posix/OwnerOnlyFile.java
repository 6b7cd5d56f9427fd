package dev.gunicornjvm.common.posix;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file only its owner may read, made with that mode from its first byte: one created first and
 * chmod-ed after would be readable by others for a moment. For files that hold secrets (the
 * workers' settings name a keystore's password; the keystores themselves).
 */
public final class OwnerOnlyFile {
    private OwnerOnlyFile() {
    }

    /** Replaces {@code file} with a new, empty file of mode 0600 and opens it for writing. */
    public static OutputStream create(Path file) throws IOException {
        Files.deleteIfExists(file);
        return Files.newOutputStream(Files.createFile(file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
    }
}
