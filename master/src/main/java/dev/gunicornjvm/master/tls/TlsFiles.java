package dev.gunicornjvm.master.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the operator's key and certificate files, saying in one line which one cannot be read and why. */
final class TlsFiles {
    private TlsFiles() {
    }

    /** The file's bytes. @throws IllegalArgumentException naming the option, the file and the fix */
    static byte[] read(String option, Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(option + " " + file + ": is a directory (name the file itself)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file (check the path)");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(option + " " + file + ": permission denied (make it readable by "
                    + System.getProperty("user.name") + ", the user the master runs as)");
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    /** True for PEM text (possibly after openssl's "Bag Attributes" lines); false for a binary keystore. */
    static boolean isPem(byte[] content) {
        return new String(content, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }
}
