package dev.gunicornjvm.worker.app;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's own libraries, which a webapp must not see: it brings its own versions of Log4j, SLF4J,
 * Jackson and the like, and gets exactly those. Jetty already hides its own classes from webapps (and
 * lends them the few it means to), and the Servlet and other Jakarta APIs must be shared; everything
 * else on the worker's class path is hidden by its location, which also hides its resources (a
 * {@code META-INF/services} file of ours would otherwise make an app's SLF4J bind to our Log4j).
 */
public final class ServerLibraries {
    private ServerLibraries() {
    }

    /** Jetty class-matcher patterns: the URI of each of those jars, and our own packages by name. */
    public static List<String> hiddenFromApps() {
        List<String> patterns = new ArrayList<>();
        patterns.add("dev.gunicornjvm.");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty() && !sharedWithApps(Path.of(entry).getFileName().toString())) {
                patterns.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        return patterns;
    }

    /** Jetty's jars (Jetty decides which of their classes a webapp sees) and the Jakarta and javax APIs. */
    private static boolean sharedWithApps(String jar) {
        return jar.startsWith("jetty-") || jar.startsWith("jakarta.") || jar.startsWith("javax.");
    }
}
