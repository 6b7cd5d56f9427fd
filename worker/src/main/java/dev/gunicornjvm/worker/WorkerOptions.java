package dev.gunicornjvm.worker;

import dev.gunicornjvm.common.http.HeaderMap;
import dev.gunicornjvm.worker.app.AppSpec;
import dev.gunicornjvm.worker.app.ServerLibraries;
import dev.gunicornjvm.worker.http.ListenerSpec;
import dev.gunicornjvm.worker.sessions.SessionStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The worker's command line. Only the master writes it (into an @argfile), so it is plain and total:
 * every value the worker needs, nothing it would look up elsewhere.
 */
@Command(name = "gunicorn-worker", description = "A gunicorn-jvm worker; started by the master, not by hand.")
final class WorkerOptions {
    /** The Servlet class of the single-Servlet form; absent for a webapp. */
    @Option(names = "--app")
    String app;

    /** A webapp directory (a WAR the master unpacked for this generation, or the user's directory). */
    @Option(names = "--webapp")
    Path webapp;

    /** The Servlet's jars and directories; for a webapp, entries added to its own. */
    @Option(names = "--app-classpath", split = ":")
    List<String> appClasspath = new ArrayList<>();

    @Option(names = "--root-path", defaultValue = "/")
    String rootPath;

    @Option(names = "--init-param")
    Map<String, String> initParameters = new LinkedHashMap<>();

    /** memory, or file:DIR (see SessionStores). */
    @Option(names = "--session-store", defaultValue = SessionStores.MEMORY)
    String sessionStore;

    /** What the training run requests; the root path when absent. */
    @Option(names = "--warmup-path")
    String warmupPath;

    /** Where this generation's workers keep their scratch files, each in a directory named by its pid. */
    @Option(names = "--work-dir")
    Path workDirectory;

    @Option(names = "--listener", converter = ListenerConverter.class)
    List<ListenerSpec> listeners = new ArrayList<>();

    @Option(names = "--threads", defaultValue = "1")
    int threads;

    /** --limit-request-line, --limit-request-fields, --limit-request-field_size of the master. */
    @Option(names = "--limits", defaultValue = "4094,100,8190")
    String limits;

    /** --header-map of the master: drop, refuse or dangerous. */
    @Option(names = "--header-map", defaultValue = "drop", converter = HeaderMapConverter.class)
    HeaderMap headerMap;

    @Option(names = "--max-requests", defaultValue = "0")
    long maxRequests;

    @Option(names = "--max-requests-jitter", defaultValue = "0")
    long maxRequestsJitter;

    @Option(names = "--graceful-timeout", defaultValue = "30")
    int gracefulTimeout;

    @Option(names = "--keep-alive", defaultValue = "2")
    int keepAlive;

    @Option(names = "--heartbeat-ms", defaultValue = "1000")
    long heartbeatMillis;

    @Option(names = "--error-logfile", defaultValue = "-")
    String errorLog;

    @Option(names = "--access-logfile")
    String accessLog;

    @Option(names = "--log-level", defaultValue = "info")
    String logLevel;

    /** Drop to this user and group before loading the app (-u/--user, -g/--group of the master). */
    @Option(names = "--uid")
    Integer uid;

    @Option(names = "--gid")
    Integer gid;

    @Option(names = "--title", required = true)
    String title;

    /**
     * Boot, exercise the request path, stop and exit: a run that a JVM records its class-data sharing
     * archive from (the master adds the JVM option that writes it at exit).
     */
    @Option(names = "--train")
    boolean train;

    /** Deploy the app, print what it holds, stop: gunicorn --check-config. */
    @Option(names = "--check")
    boolean check;

    AppSpec appSpec(long pid) {
        List<Path> classpath = appClasspath.stream().filter(s -> !s.isEmpty()).map(Path::of).toList();
        AppSpec.Source source = webapp == null ? new AppSpec.ServletClass(app, classpath)
                : new AppSpec.Webapp(webapp, classpath, ServerLibraries.hiddenFromApps(),
                        workDirectory == null ? null : workDirectory.resolve(Long.toString(pid)));
        return new AppSpec(source, rootPath, initParameters);
    }

    String warmupPath() {
        return warmupPath != null ? warmupPath : rootPath.endsWith("/") ? rootPath : rootPath + "/";
    }

    static final class HeaderMapConverter implements picocli.CommandLine.ITypeConverter<HeaderMap> {
        @Override
        public HeaderMap convert(String value) {
            return HeaderMap.parse(value);
        }
    }

    static final class ListenerConverter implements picocli.CommandLine.ITypeConverter<ListenerSpec> {
        @Override
        public ListenerSpec convert(String value) {
            return ListenerSpec.parse(value);
        }
    }
}
