package dev.gunicornjvm.master.app;

import dev.gunicornjvm.common.app.AppLoader;
import dev.gunicornjvm.common.app.ServletEnvironment;
import dev.gunicornjvm.common.posix.FileOwner;
import dev.gunicornjvm.common.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Prepares, per generation, what its workers deploy, and removes it once the generation is gone.
 *
 * <p>A WAR is unpacked into a directory of the generation's own, so its workers never read the WAR
 * itself: a deployment may replace the WAR (a new release renamed over it, or a copy overwriting it)
 * while they run, and the next HUP unpacks the new one beside the old generation's copy. A webapp
 * directory is used in place, resolved once (a {@code current} symlink switched to a new release
 * directory changes what the next generation runs, not the running one).
 */
public final class AppStager {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final Path runtimeDir;
    private final Posix posix;
    private final Map<Integer, Path> directories = new HashMap<>();

    /** @param runtimeDir the master's private directory, where each generation gets a directory */
    public AppStager(Posix posix, Path runtimeDir) {
        this.posix = posix;
        this.runtimeDir = runtimeDir;
    }

    /**
     * @param owner the workers' user (-u), who must be able to read and write the generation's files; or null
     * @throws IOException with a reason fit for one log line: a corrupt WAR, a full disk, a webapp gone
     */
    public StagedApp stage(int generation, AppSettings app, FileOwner owner) throws IOException {
        Path dir = runtimeDir.resolve("generation-" + generation);
        PrivateDirectory.delete(dir);
        Files.createDirectories(dir.resolve("work"));
        directories.put(generation, dir);
        try {
            StagedApp staged = stage(app, dir);
            if (owner != null) {
                chownRecursively(dir, owner);
            }
            return staged;
        } catch (IOException e) {
            retire(generation);
            throw e instanceof StagingException ? e : new StagingException(e.getMessage(), e);
        } catch (RuntimeException e) {
            retire(generation);
            throw e;
        }
    }

    private StagedApp stage(AppSettings app, Path dir) throws IOException {
        Path work = dir.resolve("work");
        if (app.source() instanceof AppSource.ServletClass servlet) {
            try {
                ServletEnvironment environment = ServletApis.check(app.classpath(), servlet.className(), app.servletApi());
                return new StagedApp(environment, null, app.classpath(), work);
            } catch (AppLoader.AppLoadException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        Path webapp;
        if (app.source() instanceof AppSource.War war) {
            webapp = dir.resolve("webapp");
            unpack(war.file(), webapp);
        } else {
            Path given = ((AppSource.WebappDirectory) app.source()).directory();
            if (!Files.isDirectory(given.resolve("WEB-INF"))) {
                throw new IOException(given + " is no longer a webapp directory (no WEB-INF/)");
            }
            webapp = given.toRealPath();
        }
        return new StagedApp(environment(app, webapp), webapp, app.classpath(), work);
    }

    /** The environment --servlet-api names, or the one the webapp's classes call for. */
    private static ServletEnvironment environment(AppSettings app, Path webapp) throws IOException {
        ServletApiDetector.Api api = ServletApiDetector.detect(webapp);
        ServletEnvironment requested = app.servletApi();
        if (requested == null) {
            if (api == ServletApiDetector.Api.JAVAX) {
                LOG.info("{} uses javax.servlet: serving it in {}", app.name(), ServletEnvironment.EE8.describe());
                return ServletEnvironment.EE8;
            }
            return ServletEnvironment.DEFAULT;
        }
        boolean javax = requested.apiPackage().startsWith("javax");
        if ((api == ServletApiDetector.Api.JAVAX && !javax) || (api == ServletApiDetector.Api.JAKARTA && javax)) {
            throw new IOException(app.name() + " uses " + (javax ? "jakarta" : "javax") + ".servlet, which --servlet-api "
                    + requested.id() + " does not provide (" + (javax ? "use ee11 or ee10" : "use ee8") + ")");
        }
        return requested;
    }

    /** Unpacks a WAR, keeping each entry's time (static files keep their Last-Modified across releases). */
    static void unpack(Path war, Path target) throws IOException {
        Files.createDirectories(target);
        try (ZipFile zip = new ZipFile(war.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("entry " + entry.getName() + " would land outside the webapp");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, file);
                }
                Files.setLastModifiedTime(file, FileTime.fromMillis(entry.getTime()));
            }
        } catch (IOException e) {
            throw new IOException("cannot unpack " + war + ": " + e.getMessage(), e);
        }
    }

    /** Removes the files of every generation not in {@code inUse}: those whose workers are all gone. */
    public void retainOnly(Set<Integer> inUse) {
        for (Integer generation : List.copyOf(directories.keySet())) {
            if (!inUse.contains(generation)) {
                retire(generation);
            }
        }
    }

    private void retire(int generation) {
        Path dir = directories.remove(generation);
        if (dir != null) {
            PrivateDirectory.delete(dir);
            LOG.debug("Removed the files of generation {}", generation);
        }
    }

    private void chownRecursively(Path dir, FileOwner owner) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                posix.chown(p.toString(), owner.uid(), owner.gid());
            }
        }
    }
}
