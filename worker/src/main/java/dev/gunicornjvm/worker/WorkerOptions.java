package dev.gunicornjvm.worker;

import dev.gunicornjvm.common.http.HeaderMap;
import dev.gunicornjvm.common.process.WorkerSettings;
import dev.gunicornjvm.worker.app.AppSpec;
import dev.gunicornjvm.worker.app.ServerLibraries;
import dev.gunicornjvm.worker.http.ListenerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The worker's settings, as the master wrote them for its generation (see {@link WorkerSettings}),
 * with the values the worker turns into its own types (paths, listeners, the header map). Immutable; read once, at start-up, without any parser library.
 */
final class WorkerOptions {
    /** Everything, as the master wrote it. */
    final WorkerSettings settings;
    /** The Servlet class of the single-Servlet form; absent for a webapp. */
    private final String app;
    /** A webapp directory (a WAR the master unpacked for this generation, or the user's directory). */
    private final Path webapp;
    /** The Servlet's jars and directories; for a webapp, entries added to its own. */
    private final List<Path> appClasspath;
    /** Where this generation's workers keep their scratch files, each in a directory named by its pid. */
    private final Path workDirectory;
    final List<ListenerSpec> listeners;
    /** --header-map of the master: drop, refuse or dangerous. */
    final HeaderMap headerMap;

    private WorkerOptions(WorkerSettings s) {
        settings = s;
        app = s.app();
        webapp = s.webapp() == null ? null : Path.of(s.webapp());
        appClasspath = s.appClasspath().stream().filter(e -> !e.isEmpty()).map(Path::of).toList();
        workDirectory = s.workDir() == null ? null : Path.of(s.workDir());
        listeners = s.listeners().stream().map(ListenerSpec::parse).toList();
        headerMap = HeaderMap.parse(s.headerMap());
    }

    /**
     * The settings in the file the master names as the worker's one argument.
     *
     * @throws IllegalArgumentException with a one-line reason when the file is missing or malformed
     */
    static WorkerOptions read(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("want one argument, the settings file the master wrote; got " + args.length);
        }
        try {
            return new WorkerOptions(WorkerSettings.read(Path.of(args[0])));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + args[0] + ": " + e);
        }
    }

    AppSpec appSpec(long pid) {
        AppSpec.Source source = webapp == null ? new AppSpec.ServletClass(app, appClasspath)
                : new AppSpec.Webapp(webapp, appClasspath, ServerLibraries.hiddenFromApps(),
                        workDirectory == null ? null : workDirectory.resolve(Long.toString(pid)));
        return new AppSpec(source, settings.rootPath(), settings.initParameters());
    }

    /** What the warm-up and training requests: --warmup-path, else the root path. */
    String warmupPath() {
        String rootPath = settings.rootPath();
        return settings.warmupPath() != null ? settings.warmupPath() : rootPath.endsWith("/") ? rootPath : rootPath + "/";
    }
}
