package dev.gunicornjvm.worker;

import dev.gunicornjvm.worker.http.ListenerSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The worker's command line. Only the master writes it (into an @argfile), so it is plain and total:
 * every value the worker needs, nothing it would look up elsewhere.
 */
@Command(name = "gunicorn-worker", description = "A gunicorn-jvm worker; started by the master, not by hand.")
final class WorkerOptions {
    @Option(names = "--app", required = true)
    String app;

    @Option(names = "--app-classpath", required = true, split = ":")
    List<String> appClasspath = new ArrayList<>();

    @Option(names = "--listener", required = true, converter = ListenerConverter.class)
    List<ListenerSpec> listeners = new ArrayList<>();

    @Option(names = "--threads", defaultValue = "1")
    int threads;

    /** --limit-request-line, --limit-request-fields, --limit-request-field_size of the master. */
    @Option(names = "--limits", defaultValue = "4094,100,8190")
    String limits;

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

    static final class ListenerConverter implements picocli.CommandLine.ITypeConverter<ListenerSpec> {
        @Override
        public ListenerSpec convert(String value) {
            return ListenerSpec.parse(value);
        }
    }
}
