package dev.gunicornjvm.master.preload;

import dev.gunicornjvm.common.app.AppLoader;
import dev.gunicornjvm.master.app.AppSource;
import dev.gunicornjvm.master.app.ServletApis;
import dev.gunicornjvm.master.app.AppSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * --preload, the JVM way. A JVM cannot hand loaded classes to a child it spawns, so "preloaded" means:
 * the master loads and checks the app once, from a private copy of its classpath (and WAR or webapp
 * directory) taken at start, and every worker loads exactly that copy. Replacing the jar on disk then changes nothing until a new
 * master (USR2) takes a new copy; HUP reloads settings but keeps the copy.
 */
public final class AppSnapshot {
    private AppSnapshot() {
    }

    /** Copies the app into {@code dir}, checks a Servlet class loads from the copy, returns the copy. */
    public static AppSettings take(AppSettings app, Path dir) throws IOException, AppLoader.AppLoadException {
        String missing = AppLoader.missingEntry(app.classpath());
        if (missing != null) {
            throw new AppLoader.AppLoadException(missing, null);
        }
        Files.createDirectories(dir);
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < app.classpath().size(); i++) {
            copies.add(copyInto(dir, i + "-", app.classpath().get(i)));
        }
        AppSource source = app.source();
        if (source instanceof AppSource.ServletClass servlet) {
            ServletApis.check(copies, servlet.className(), app.servletApi());
        } else if (source instanceof AppSource.War war) {
            source = new AppSource.War(copyInto(dir, "app-", war.file()));
        } else {
            source = new AppSource.WebappDirectory(copyInto(dir, "app-", ((AppSource.WebappDirectory) source).directory()));
        }
        return app.withSource(source, copies);
    }

    private static Path copyInto(Path dir, String prefix, Path source) throws IOException {
        Path absolute = source.toAbsolutePath();
        Path target = dir.resolve(prefix + absolute.getFileName());
        copy(absolute, target);
        return target;
    }

    private static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path p : tree.sorted(Comparator.naturalOrder()).toList()) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
