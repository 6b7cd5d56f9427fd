package dev.gunicornjvm.master.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** --keyfile-password: {@code env:VAR}, {@code file:PATH} (its first line) or the password itself. */
final class Passwords {
    private Passwords() {
    }

    /** The password, or null when none is given. */
    static char[] resolve(String source) {
        if (source == null) {
            return null;
        }
        if (source.startsWith("env:")) {
            String value = System.getenv(source.substring(4));
            if (value == null) {
                throw new IllegalArgumentException("--keyfile-password " + source + ": the variable is not set");
            }
            return value.toCharArray();
        }
        if (source.startsWith("file:")) {
            Path file = Path.of(source.substring(5));
            try {
                String text = Files.readString(file);
                int end = text.indexOf('\n');
                return (end < 0 ? text : text.substring(0, end)).replace("\r", "").toCharArray();
            } catch (IOException e) {
                throw new IllegalArgumentException("--keyfile-password " + source + ": cannot read " + file + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return source.toCharArray();
    }
}
