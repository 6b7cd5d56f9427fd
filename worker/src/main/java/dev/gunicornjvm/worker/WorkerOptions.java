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
 * in the worker's own types. Immutable; read once, at start-up, without any parser library.
 */
final class WorkerOptions {
    /** The Servlet class of the single-Servlet form; absent for a webapp. */
    final String app;
    /** A webapp directory (a WAR the master unpacked for this generation, or the user's directory). */
    final Path webapp;
    /** The Servlet's jars and directories; for a webapp, entries added to its own. */
    final List<Path> appClasspath;
    final String rootPath;
    final Map<String, String> initParameters;
    /** memory, or file:DIR (see SessionStores). */
    final String sessionStore;
    /** What the training run requests; the root path when absent. */
    final String warmupPath;
    /** Where this generation's workers keep their scratch files, each in a directory named by its pid. */
    final Path workDirectory;
    final List<ListenerSpec> listeners;
    final int threads;
    /** --limit-request-line, --limit-request-fields, --limit-request-field_size of the master. */
    final String limits;
    /** --header-map of the master: drop, refuse or dangerous. */
    final HeaderMap headerMap;
    final long maxRequests;
    final long maxRequestsJitter;
    final int gracefulTimeout;
    final int keepAlive;
    final long heartbeatMillis;
    final String errorLog;
    final String accessLog;
    final String logLevel;
    /** Drop to this user and group before loading the app (-u/--user, -g/--group of the master). */
    final Integer uid;
    final Integer gid;
    final String title;
    /**
     * Boot, exercise the request path, stop and exit: a run that a JVM records its class-data sharing
     * archive from (the master adds the JVM option that writes it at exit).
     */
    final boolean train;
    /** Deploy the app, print what it holds, stop: gunicorn --check-config. */
    final boolean check;

    private WorkerOptions(WorkerSettings s) {
        app = s.app();
        webapp = s.webapp() == null ? null : Path.of(s.webapp());
        appClasspath = s.appClasspath().stream().filter(e -> !e.isEmpty()).map(Path::of).toList();
        rootPath = s.rootPath();
        initParameters = s.initParameters();
        sessionStore = s.sessionStore();
        warmupPath = s.warmupPath();
        workDirectory = s.workDir() == null ? null : Path.of(s.workDir());
        listeners = s.listeners().stream().map(ListenerSpec::parse).toList();
        threads = s.threads();
        limits = s.limits();
        headerMap = HeaderMap.parse(s.headerMap());
        maxRequests = s.maxRequests();
        maxRequestsJitter = s.maxRequestsJitter();
        gracefulTimeout = s.gracefulTimeout();
        keepAlive = s.keepAlive();
        heartbeatMillis = s.heartbeatMillis();
        errorLog = s.errorLog();
        accessLog = s.accessLog();
        logLevel = s.logLevel();
        uid = s.uid();
        gid = s.gid();
        title = s.title();
        train = s.train();
        check = s.check();
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
        return new AppSpec(source, rootPath, initParameters);
    }

    String warmupPath() {
        return warmupPath != null ? warmupPath : rootPath.endsWith("/") ? rootPath : rootPath + "/";
    }
}
