package dev.gunicornjvm.master.app;

import java.nio.file.Path;

/**
 * Where the app's HTTP sessions live: by default a private directory every worker reads (and the
 * next master's after USR2), so a user's requests may land on any worker.
 *
 * @param directory the directory of {@code file:DIR}; null for the private default, or for memory
 */
public record SessionStore(boolean memory, Path directory) {
    public static final SessionStore PRIVATE = new SessionStore(false, null);

    /** "memory" or "file:DIR"; null for the default. */
    public static SessionStore parse(String value) {
        if (value == null) {
            return PRIVATE;
        }
        if (value.equals("memory")) {
            return new SessionStore(true, null);
        }
        if (value.startsWith("file:") && value.length() > "file:".length()) {
            return new SessionStore(false, Path.of(value.substring("file:".length())).toAbsolutePath());
        }
        throw new IllegalArgumentException("--session-store '" + value
                + "' is not file:DIR or memory (leave it out for a private directory shared by the workers)");
    }

    @Override
    public String toString() {
        return memory ? "memory" : directory != null ? "file:" + directory : "private";
    }
}
