package dev.gunicornjvm.master.app;

import dev.gunicornjvm.common.app.ServletEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The app the master serves and how it is mounted.
 *
 * @param name           APP as given, for process titles and status
 * @param classpath      -cp: the Servlet's class path, or entries added to a webapp's own
 * @param servletApi     --servlet-api, or null to take what the app is written for
 * @param rootPath       --root-path, Gunicorn's root_path: the context path, "/" or e.g. "/shop"
 * @param initParameters --init-param, in the order given
 * @param warmupPath     --warmup-path, what the class-data sharing training requests; null for the root path
 */
public record AppSettings(String name, AppSource source, List<Path> classpath, ServletEnvironment servletApi,
                          String rootPath, Map<String, String> initParameters, String warmupPath) {
    public AppSettings {
        classpath = List.copyOf(classpath);
        initParameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(initParameters));
    }

    /** What a build of the app is made of: -cp, and the WAR or webapp directory. */
    public List<Path> files() {
        List<Path> files = new java.util.ArrayList<>(classpath);
        if (source instanceof AppSource.War war) {
            files.add(war.file());
        } else if (source instanceof AppSource.WebappDirectory dir) {
            files.add(dir.directory());
        }
        return files;
    }

    /** The same app from elsewhere: a --preload snapshot. */
    public AppSettings withSource(AppSource newSource, List<Path> newClasspath) {
        return new AppSettings(name, newSource, newClasspath, servletApi, rootPath, initParameters, warmupPath);
    }
}
