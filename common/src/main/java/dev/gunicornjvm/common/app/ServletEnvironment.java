package dev.gunicornjvm.common.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The Jakarta EE environments of Jetty 12 a worker can run an app in, as Jetty names them. Each has its
 * own Servlet API and Jetty modules, which cannot share one class path (ee10 and ee11 both define
 * {@code jakarta.servlet}), so each lives in a directory of its own beside the server's jars,
 * {@code lib/ee11/} and so on, and a worker's class path holds exactly one of them.
 */
public enum ServletEnvironment {
    EE11("ee11", "jakarta.servlet.", "Servlet 6.1, Jakarta EE 11"),
    EE10("ee10", "jakarta.servlet.", "Servlet 6.0, Jakarta EE 10"),
    EE8("ee8", "javax.servlet.", "Servlet 4.0, javax.servlet");

    /** What runs an app that does not say otherwise (--servlet-api). */
    public static final ServletEnvironment DEFAULT = EE11;

    private final String id;
    private final String apiPackage;
    private final String description;

    ServletEnvironment(String id, String apiPackage, String description) {
        this.id = id;
        this.apiPackage = apiPackage;
        this.description = description;
    }

    /** Jetty's name, also the --servlet-api value and the directory under lib/. */
    public String id() {
        return id;
    }

    /** The package prefix of its Servlet API, e.g. {@code jakarta.servlet.}. */
    public String apiPackage() {
        return apiPackage;
    }

    /** For people: e.g. "ee11 (Servlet 6.1, Jakarta EE 11)". */
    public String describe() {
        return id + " (" + description + ")";
    }

    public static ServletEnvironment parse(String value) {
        for (ServletEnvironment e : values()) {
            if (e.id.equals(value.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("--servlet-api '" + value + "' is not one of ee11, ee10, ee8");
    }

    /** The environment's jars in the server's library directory, sorted; empty if it is not there. */
    public List<Path> jars(Path libDirectory) {
        Path dir = libDirectory.resolve(id);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The directory holding the server's jars ({@code lib/} of a distribution), found from the jar
     * this class was loaded from; null when it was not loaded from a jar (a module's own unit tests).
     */
    public static Path libDirectory() {
        try {
            Path self = Path.of(ServletEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(self) ? self.getParent() : null;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
