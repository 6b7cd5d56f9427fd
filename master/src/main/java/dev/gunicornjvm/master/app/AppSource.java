package dev.gunicornjvm.master.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What APP names, recognised from the value itself as Gunicorn recognises {@code module:app}: a
 * {@code .war} file, a webapp directory (one holding {@code WEB-INF/}), or else the class name of a
 * Servlet on {@code -cp}.
 */
public sealed interface AppSource {
    /** For people and file names: the class's simple name, or the WAR's or directory's name. */
    String shortName();

    /** A Servlet class on -cp. */
    record ServletClass(String className) implements AppSource {
        @Override
        public String shortName() {
            return className.substring(className.lastIndexOf('.') + 1);
        }
    }

    /** A web application archive. */
    record War(Path file) implements AppSource {
        @Override
        public String shortName() {
            String name = file.getFileName().toString();
            return name.substring(0, name.length() - ".war".length());
        }
    }

    /** An exploded webapp. */
    record WebappDirectory(Path directory) implements AppSource {
        @Override
        public String shortName() {
            return directory.getFileName() == null ? "webapp" : directory.getFileName().toString();
        }
    }

    /**
     * @param app  APP as given
     * @param base the directory a relative path is relative to (the working directory, or a config
     *             file's own directory)
     * @throws IllegalArgumentException for a directory that is not a webapp
     */
    static AppSource of(String app, Path base) {
        if (app.toLowerCase(Locale.ROOT).endsWith(".war")) {
            return new War(base.resolve(app).toAbsolutePath().normalize());
        }
        boolean looksLikePath = app.contains("/");
        Path path = base.resolve(app).toAbsolutePath().normalize();
        if (looksLikePath || Files.isDirectory(path)) {
            if (!Files.isDirectory(path)) {
                throw new IllegalArgumentException("APP " + app + " is neither a .war file, nor a directory, nor a"
                        + " class name (give a WAR, a webapp directory with WEB-INF/, or a Servlet class on -cp)");
            }
            if (!Files.isDirectory(path.resolve("WEB-INF"))) {
                throw new IllegalArgumentException("APP " + app + " is a directory without WEB-INF/, so not a webapp"
                        + " (give a webapp directory, a .war file, or a Servlet class on -cp)");
            }
            return new WebappDirectory(path);
        }
        return new ServletClass(app);
    }
}
