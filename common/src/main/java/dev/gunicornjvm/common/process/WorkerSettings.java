package dev.gunicornjvm.common.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import dev.gunicornjvm.common.edge.EdgeSettings;
import dev.gunicornjvm.common.edge.TlsSettings;
import dev.gunicornjvm.common.hooks.WorkerHookSettings;
import dev.gunicornjvm.common.posix.OwnerOnlyFile;
import dev.gunicornjvm.common.instrument.RequestLogSettings;
import dev.gunicornjvm.common.statsd.StatsdTarget;

/**
 * What a worker JVM is told by its master: the app, its listeners, the limits and logs. The master
 * writes it once per generation into a {@link Properties} file ({@code worker-N.properties}, next to the
 * generation's argfile) and passes the file's path as the worker's one program argument; the worker
 * reads it with {@link #read}. Nothing here parses a command line: a worker's boot loads no parser
 * library, only {@code java.util.Properties}, which the JDK's own class-data sharing archive holds.
 *
 * <p>Lists are stored as {@code KEY.0}, {@code KEY.1}, ...; maps as {@code KEY.N.name} and
 * {@code KEY.N.value}, in their order. Absent optional values are absent keys.
 *
 * @param app               the Servlet class of the single-Servlet form; null for a webapp
 * @param webapp            a webapp directory (a WAR the master unpacked, or the user's directory), or null
 * @param appClasspath      the Servlet's jars and directories; for a webapp, entries added to its own
 * @param workDir           where this generation's workers keep scratch files (one directory per pid), or null
 * @param rootPath          the context path
 * @param initParameters    init parameters of the Servlet, or the webapp's context
 * @param warmupPath        what the training run requests; null for the root path
 * @param sessionStore      memory, or file:DIR
 * @param listeners         {@code FAMILY,URL}, the n-th being the listener at fd 3 + n
 * @param threads           request threads
 * @param limits            --limit-request-line, -fields, -field_size: {@code LINE,FIELDS,FIELD_SIZE}
 * @param headerMap         --header-map: drop, refuse or dangerous
 * @param edge              HTTP/2, trusted proxies, the PROXY protocol and TLS keys
 * @param maxRequests       recycle after this many requests (plus jitter), 0 for never
 * @param maxRequestsJitter the largest random addition to maxRequests
 * @param gracefulTimeout   seconds a drain may take
 * @param keepAlive         seconds an idle keep-alive connection is kept
 * @param heartbeatMillis   how often the worker tells the master it lives
 * @param errorLog          a file, or "-" for stderr
 * @param accessLog         a file, "-" for stdout, or null for none
 * @param logLevel          Gunicorn's level name
 * @param uid               the user to become before loading the app, or null to stay
 * @param gid               the group to become, with uid
 * @param title             the name in the process title (-n/--name, else APP)
 * @param train             boot, exercise the request path, stop: the class-data sharing training run
 * @param check             deploy the app, print what it holds, stop (gunicorn --check-config)
 * @param requestLog        the access log's format and StatsD
 * @param metrics           send the master request counts, threads, heap and GC with each heartbeat
 *                          (the master serves them: --metrics-bind)
 * @param hooks             the --hooks class for the worker's events, or null for none
 */
public record WorkerSettings(
        String app,
        String webapp,
        List<String> appClasspath,
        String workDir,
        String rootPath,
        Map<String, String> initParameters,
        String warmupPath,
        String sessionStore,
        List<String> listeners,
        int threads,
        String limits,
        String headerMap,
        EdgeSettings edge,
        long maxRequests,
        long maxRequestsJitter,
        int gracefulTimeout,
        int keepAlive,
        long heartbeatMillis,
        String errorLog,
        String accessLog,
        String logLevel,
        Integer uid,
        Integer gid,
        String title,
        boolean train,
        boolean check,
        RequestLogSettings requestLog,
        boolean metrics,
        WorkerHookSettings hooks) {

    public WorkerSettings {
        appClasspath = List.copyOf(appClasspath);
        initParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(initParameters));
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(rootPath, "rootPath");
        Objects.requireNonNull(sessionStore, "sessionStore");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(headerMap, "headerMap");
        Objects.requireNonNull(edge, "edge");
        Objects.requireNonNull(errorLog, "errorLog");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(title, "title");
        requestLog = requestLog == null ? RequestLogSettings.DEFAULT : requestLog;
    }

    /** The same settings for the class-data sharing training run. */
    public WorkerSettings forTraining() {
        return withRun(true, false);
    }

    /** The same settings for gunicorn --check-config's worker. */
    public WorkerSettings forCheck() {
        return withRun(false, true);
    }

    private WorkerSettings withRun(boolean training, boolean checking) {
        return new WorkerSettings(app, webapp, appClasspath, workDir, rootPath, initParameters, warmupPath,
                sessionStore, listeners, threads, limits, headerMap, edge, maxRequests, maxRequestsJitter, gracefulTimeout,
                keepAlive, heartbeatMillis, errorLog, accessLog, logLevel, uid, gid, title, training, checking, requestLog, metrics,
                hooks);
    }

    /** Writes the file a worker reads (see {@link #read}). */
    public void write(Path file) throws IOException {
        Properties p = new Properties();
        put(p, "app", app);
        put(p, "webapp", webapp);
        putList(p, "app-classpath", appClasspath);
        put(p, "work-dir", workDir);
        put(p, "root-path", rootPath);
        putMap(p, "init-param", initParameters);
        put(p, "warmup-path", warmupPath);
        put(p, "session-store", sessionStore);
        putList(p, "listener", listeners);
        put(p, "threads", threads);
        put(p, "limits", limits);
        put(p, "header-map", headerMap);
        writeEdge(p);
        put(p, "max-requests", maxRequests);
        put(p, "max-requests-jitter", maxRequestsJitter);
        put(p, "graceful-timeout", gracefulTimeout);
        put(p, "keep-alive", keepAlive);
        put(p, "heartbeat-ms", heartbeatMillis);
        put(p, "error-logfile", errorLog);
        put(p, "access-logfile", accessLog);
        put(p, "log-level", logLevel);
        put(p, "uid", uid);
        put(p, "gid", gid);
        put(p, "title", title);
        put(p, "train", train ? true : null);
        put(p, "check", check ? true : null);
        writeRequestLog(p);
        put(p, "metrics", metrics ? true : null);
        if (hooks != null) {
            put(p, "hooks.class", hooks.className());
            put(p, "hooks.timeout-ms", hooks.timeoutMillis());
            put(p, "hooks.generation", hooks.generation());
        }
        // Only the master's user may read it: it holds the keystore's password when TLS is on.
        try (OutputStream out = OwnerOnlyFile.create(file)) {
            p.store(out, "gunicorn-jvm worker settings: written by the master, read by its workers");
        }
    }

    /**
     * Reads the file the master wrote.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException with a one-line reason when a value is missing or malformed
     */
    public static WorkerSettings read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        Map<String, String> initParameters = map(p, "init-param");
        String title = p.getProperty("title");
        if (title == null) {
            throw new IllegalArgumentException("no title in " + file);
        }
        return new WorkerSettings(p.getProperty("app"), p.getProperty("webapp"), list(p, "app-classpath"),
                p.getProperty("work-dir"), p.getProperty("root-path", "/"), initParameters,
                p.getProperty("warmup-path"), p.getProperty("session-store", "memory"), list(p, "listener"),
                (int) number(p, "threads", 1), p.getProperty("limits", "4094,100,8190"),
                p.getProperty("header-map", "drop"), readEdge(p), number(p, "max-requests", 0), number(p, "max-requests-jitter", 0),
                (int) number(p, "graceful-timeout", 30), (int) number(p, "keep-alive", 2),
                number(p, "heartbeat-ms", 1000), p.getProperty("error-logfile", "-"), p.getProperty("access-logfile"),
                p.getProperty("log-level", "info"), optionalInt(p, "uid"), optionalInt(p, "gid"), title,
                Boolean.parseBoolean(p.getProperty("train")), Boolean.parseBoolean(p.getProperty("check")),
                readRequestLog(p), Boolean.parseBoolean(p.getProperty("metrics")),
                p.containsKey("hooks.class") ? new WorkerHookSettings(p.getProperty("hooks.class"),
                        number(p, "hooks.timeout-ms", 10_000), (int) number(p, "hooks.generation", 0)) : null);
    }

    private void writeRequestLog(Properties p) {
        put(p, "access-logformat", requestLog.accessLogFormat());
        put(p, "access-log-json", requestLog.accessLogJson() ? true : null);
        StatsdTarget statsd = requestLog.statsd();
        if (statsd != null) {
            put(p, "statsd-host", statsd.address());
            put(p, "statsd-prefix", statsd.prefix());
            put(p, "dogstatsd-tags", statsd.tagText());
        }
    }

    private static RequestLogSettings readRequestLog(Properties p) {
        String statsdHost = p.getProperty("statsd-host");
        return new RequestLogSettings(p.getProperty("access-logformat"),
                Boolean.parseBoolean(p.getProperty("access-log-json")), statsdHost == null ? null
                        : StatsdTarget.parse(statsdHost, p.getProperty("statsd-prefix"), p.getProperty("dogstatsd-tags")));
    }

    private void writeEdge(Properties p) {
        put(p, "http2", edge.http2() ? true : null);
        putList(p, "forwarded-allow-ips", edge.forwardedAllowIps());
        putMap(p, "secure-scheme-header", edge.secureSchemeHeaders());
        put(p, "proxy-protocol", edge.proxyProtocol() ? true : null);
        putList(p, "proxy-allow-from", edge.proxyAllowFrom());
        TlsSettings tls = edge.tls();
        if (tls != null) {
            put(p, "tls.keystore", tls.keyStore());
            put(p, "tls.password", tls.password());
            put(p, "tls.truststore", tls.trustStore());
            put(p, "tls.client-auth", tls.clientAuth().id());
            putList(p, "tls.cipher", tls.cipherSuites());
            put(p, "tls.minimum-protocol", tls.minimumProtocol());
        }
    }

    private static EdgeSettings readEdge(Properties p) {
        TlsSettings tls = null;
        if (p.containsKey("tls.keystore")) {
            tls = new TlsSettings(p.getProperty("tls.keystore"), p.getProperty("tls.password", ""),
                    p.getProperty("tls.truststore"), TlsSettings.ClientAuth.parse(p.getProperty("tls.client-auth", "none")),
                    list(p, "tls.cipher"), p.getProperty("tls.minimum-protocol", "TLSv1.2"));
        }
        return new EdgeSettings(Boolean.parseBoolean(p.getProperty("http2")), list(p, "forwarded-allow-ips"),
                map(p, "secure-scheme-header"), Boolean.parseBoolean(p.getProperty("proxy-protocol")),
                list(p, "proxy-allow-from"), tls);
    }

    private static void putMap(Properties p, String key, Map<String, String> values) {
        int i = 0;
        for (Map.Entry<String, String> e : values.entrySet()) {
            p.setProperty(key + "." + i + ".name", e.getKey());
            p.setProperty(key + "." + i + ".value", e.getValue());
            i++;
        }
    }

    private static Map<String, String> map(Properties p, String key) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; p.containsKey(key + "." + i + ".name"); i++) {
            values.put(p.getProperty(key + "." + i + ".name"), p.getProperty(key + "." + i + ".value", ""));
        }
        return values;
    }

    private static void put(Properties p, String key, Object value) {
        if (value != null) {
            p.setProperty(key, value.toString());
        }
    }

    private static void putList(Properties p, String key, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            p.setProperty(key + "." + i, values.get(i));
        }
    }

    private static List<String> list(Properties p, String key) {
        List<String> values = new ArrayList<>();
        for (int i = 0; p.containsKey(key + "." + i); i++) {
            values.add(p.getProperty(key + "." + i));
        }
        return values;
    }

    private static long number(Properties p, String key, long absent) {
        String value = p.getProperty(key);
        if (value == null) {
            return absent;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + key + " '" + value + "' (want a number)");
        }
    }

    private static Integer optionalInt(Properties p, String key) {
        return p.containsKey(key) ? (int) number(p, key, 0) : null;
    }
}
