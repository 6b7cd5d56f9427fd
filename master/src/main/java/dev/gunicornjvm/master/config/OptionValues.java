package dev.gunicornjvm.master.config;

import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.master.socket.BindAddress;
import java.io.File;
import java.nio.file.Path;
import java.util.List;

/** The checks and conversions of single option values, each failing with a one-line reason. */
final class OptionValues {
    private OptionValues() {
    }

    /** The context path: absolute, without a trailing slash but for the root itself. */
    static String rootPath(String value) {
        if (!value.startsWith("/") || value.contains("?") || value.contains("#") || !value.matches("\\p{Graph}+")) {
            throw new IllegalArgumentException("--root-path '" + value + "' must be a URL path starting with /, e.g. /shop");
        }
        return value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** A request target: an absolute path, with a query if wanted. */
    static String warmupPath(String value) {
        if (!value.startsWith("/") || !value.matches("\\p{Graph}+")) {
            throw new IllegalArgumentException("--warmup-path '" + value + "' must be a URL path starting with /,"
                    + " e.g. /health");
        }
        return value;
    }

    /** The directory of --worker-cds, or null for none. */
    static Path workerCdsDirectory(String value, boolean otherUser) {
        switch (value) {
            case "off":
                return null;
            case "auto":
                if (otherUser) {
                    return null; // the master's cache is not theirs to write, nor to read
                }
                String cache = System.getenv("XDG_CACHE_HOME");
                Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                        : Path.of(System.getProperty("user.home"), ".cache");
                return base.resolve("gunicorn-jvm").resolve("cds").toAbsolutePath();
            default:
                return Path.of(value).toAbsolutePath();
        }
    }

    /** Workers resolve file names against the master's directory, so pass them absolute. */
    static String absolute(String file) {
        if (file == null || file.equals(LogSettings.STREAM)) {
            return file;
        }
        return new File(file).getAbsolutePath();
    }

    /** Gunicorn's forms: "0o22" or "022" (octal), or a plain decimal number. */
    static int parseUmask(String text) {
        try {
            String t = text.trim().toLowerCase(java.util.Locale.ROOT);
            int value = t.startsWith("0o") ? Integer.parseInt(t.substring(2), 8)
                    : t.length() > 1 && t.startsWith("0") ? Integer.parseInt(t.substring(1), 8) : Integer.parseInt(t);
            if (value < 0 || value > 0777) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-m/--umask '" + text + "' is not a mask (use e.g. 0o22, 022 or 0)");
        }
    }

    /**
     * The -b/--bind values given anywhere, else Gunicorn's default: 0.0.0.0:$PORT when PORT is set (as
     * platforms like Heroku set it, and expect the server on every address), else 127.0.0.1:8000.
     */
    static List<String> bindTexts(List<String> given, String port) {
        if (!given.isEmpty()) {
            return given;
        }
        if (port == null) {
            return List.of("127.0.0.1:8000");
        }
        if (!port.trim().matches("[0-9]{1,5}") || Integer.parseInt(port.trim()) > 65535) {
            throw new IllegalArgumentException("PORT='" + port + "' is not a port number (set it to 0-65535,"
                    + " unset it, or give -b/--bind)");
        }
        return List.of("0.0.0.0:" + port.trim());
    }

    /** Gunicorn reads WEB_CONCURRENCY when -w is not given. */
    static int envWorkers() {
        String value = System.getenv("WEB_CONCURRENCY");
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("WEB_CONCURRENCY='" + value + "' is not a number of workers");
        }
    }

    static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1 (got " + value + ")");
        }
    }

    static void within(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + " (got " + value + ")");
        }
    }

    static void notNegative(String option, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " must not be negative (got " + value + ")");
        }
    }
}
