package dev.gunicornjvm.master.preload;

import dev.gunicornjvm.common.app.AppLoader;
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
 * the master loads and checks the app once, from a private copy of its classpath taken at start, and
 * every worker loads exactly that copy. Replacing the jar on disk then changes nothing until a new
 * master (USR2) takes a new copy; HUP reloads settings but keeps the copy.
 */
public final class AppSnapshot {
    private AppSnapshot() {
    }

    /** Copies the classpath into {@code dir}, checks the app loads from the copy, returns the copy's classpath. */
    public static List<Path> take(List<Path> classpath, String app, Path dir) throws IOException, AppLoader.AppLoadException {
        String missing = AppLoader.missingEntry(classpath);
        if (missing != null) {
            throw new AppLoader.AppLoadException(missing, null);
        }
        Files.createDirectories(dir);
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < classpath.size(); i++) {
            Path source = classpath.get(i).toAbsolutePath();
            Path target = dir.resolve(i + "-" + source.getFileName());
            copy(source, target);
            copies.add(target);
        }
        AppLoader.load(copies, app).loader().close();
        return copies;
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
