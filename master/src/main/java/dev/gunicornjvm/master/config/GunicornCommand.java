package dev.gunicornjvm.master.config;

import dev.gunicornjvm.common.app.AppLoader;
import dev.gunicornjvm.common.app.ServletEnvironment;
import dev.gunicornjvm.common.http.HeaderMap;
import dev.gunicornjvm.common.logging.Logging;
import dev.gunicornjvm.master.app.AppSettings;
import dev.gunicornjvm.master.app.AppSource;
import dev.gunicornjvm.master.app.SessionStore;
import dev.gunicornjvm.master.socket.BindAddress;
import dev.gunicornjvm.master.tls.TlsConfig;
import java.nio.file.Files;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options of {@code gunicorn}, with Gunicorn's option names and defaults where Gunicorn has them,
 * and their validation into an immutable {@link Settings}. The same options come from the command
 * line, GUNICORN_CMD_ARGS and a config file: {@link ConfigSources} parses each into an instance of
 * this class and merges them; {@code master.Launcher} runs the result. Any problem is one line on stderr and
 * exit code 2.
 */
@Command(name = "gunicorn", sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Version.class,
        description = "Run a Jakarta Servlet app in a pre-fork server: one master process that owns the"
                + " listening sockets and supervises worker JVMs.%n"
                + "APP is a .war file, a webapp directory (with WEB-INF/), or the class name of a Servlet on"
                + " -cp/--classpath.")
public final class GunicornCommand {
    /** Gunicorn's default, plus a pidfile in the current directory so that gunictl finds the master. */
    public static final String DEFAULT_PIDFILE = "gunicorn.pid";
    /** --worker-cds values that are not a directory. */
    static final Set<String> WORKER_CDS_MODES = Set.of("auto", "off");
    /**
     * Options that make the command do something rather than configure the server. They make no sense
     * in a config file, so {@link ConfigKeys} refuses them there. A new action option belongs here.
     */
    static final Set<String> ACTIONS = Set.of("--config", "--check-config", "--print-config", "--version", "--help");

    @Parameters(index = "0", paramLabel = "APP", arity = "0..1",
            description = "What to serve: myapp.war, a webapp directory, or a Servlet class, e.g. example.HelloServlet.")
    String app;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "TOML file of settings, e.g. workers = 4; the command line and GUNICORN_CMD_ARGS"
                    + " override it.")
    String configFile;

    @Option(names = {"-cp", "--classpath"}, paramLabel = "PATHS", split = ":",
            description = "Jars and directories holding a Servlet class APP, separated by ':'; with a WAR or webapp"
                    + " directory, entries added to its own classes.")
    List<String> classpath = new ArrayList<>();

    @Option(names = "--servlet-api", paramLabel = "ee11|ee10|ee8",
            description = "Servlet environment: ee11 (Servlet 6.1, Jakarta EE 11), ee10 (Servlet 6.0) or ee8"
                    + " (javax.servlet 4.0). Default: what the app is written for (javax.servlet runs on ee8), else ee11.")
    String servletApi;

    @Option(names = "--root-path", paramLabel = "PATH", defaultValue = "/",
            description = "Context path the app is mounted at, e.g. /shop (Gunicorn's root_path). Default: ${DEFAULT-VALUE}.")
    String rootPath;

    @Option(names = "--init-param", paramLabel = "NAME=VALUE",
            description = "An init parameter of a Servlet class APP, or a context init parameter of a webapp."
                    + " Repeatable.")
    List<String> initParams = new ArrayList<>();

    @Option(names = "--session-store", paramLabel = "file:DIR|memory",
            description = "Where HTTP sessions live: file:DIR (kept across restarts), or memory (each worker its"
                    + " own). Default: a private directory every worker reads, kept across HUP and USR2 and"
                    + " removed when the server stops.")
    String sessionStore;

    @Option(names = "--warmup-path", paramLabel = "PATH",
            description = "Path the class-data sharing training requests from the app. Default: the root path"
                    + " (a webapp's welcome page).")
    String warmupPath;

    @Mixin
    ListenOptions listen = new ListenOptions();

    @Mixin
    EdgeOptions edge = new EdgeOptions();

    @Mixin
    ReloadOptions reload = new ReloadOptions();

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Mixin
    HookOptions hooks = new HookOptions();

    @Option(names = {"-w", "--workers"}, paramLabel = "INT", description = "Number of worker JVMs. Default: 1.")
    Integer workers;

    @Option(names = "--standby", paramLabel = "INT", defaultValue = "0",
            description = "Booted worker JVMs kept beside the workers, not accepting; one is promoted at once when"
                    + " a worker is added (TTIN, scale) or replaced (crash, --max-requests, --timeout)."
                    + " Default: ${DEFAULT-VALUE}.")
    int standby;

    @Option(names = "--threads", paramLabel = "INT", defaultValue = "1",
            description = "Request threads per worker. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = {"-t", "--timeout"}, paramLabel = "INT", defaultValue = "30",
            description = "Workers silent for more than this many seconds are killed and replaced (0: never)."
                    + " Default: ${DEFAULT-VALUE}.")
    int timeout;

    @Option(names = "--graceful-timeout", paramLabel = "INT", defaultValue = "30",
            description = "Seconds a graceful stop (QUIT) waits for requests in flight before killing."
                    + " Default: ${DEFAULT-VALUE}.")
    int gracefulTimeout;

    @Option(names = "--max-requests", paramLabel = "INT", defaultValue = "0",
            description = "Replace a worker after it served this many requests (0: never). Default: ${DEFAULT-VALUE}.")
    int maxRequests;

    @Option(names = "--max-requests-jitter", paramLabel = "INT", defaultValue = "0",
            description = "Each worker adds a random 0..INT to --max-requests, so workers are replaced apart."
                    + " Default: ${DEFAULT-VALUE}.")
    int maxRequestsJitter;

    @Option(names = "--boot-timeout", paramLabel = "INT", defaultValue = "120",
            description = "Kill a worker that is not accepting this many seconds after it was started."
                    + " Default: ${DEFAULT-VALUE}.")
    int bootTimeout;

    @Option(names = "--limit-request-line", paramLabel = "INT", defaultValue = "4094",
            description = "Longest request line in bytes, at most 8190 (0: 8190). Longer ones get 414."
                    + " Default: ${DEFAULT-VALUE}.")
    int limitRequestLine;

    @Option(names = "--limit-request-fields", paramLabel = "INT", defaultValue = "100",
            description = "Most header fields in a request, at most 32768. More get 431. Default: ${DEFAULT-VALUE}.")
    int limitRequestFields;

    @Option(names = {"--limit-request-field_size", "--limit-request-field-size"}, paramLabel = "INT",
            defaultValue = "8190",
            description = "Largest header field in bytes (0: unlimited, within 64 KiB of headers in all)."
                    + " Larger ones get 431. Default: ${DEFAULT-VALUE}.")
    int limitRequestFieldSize;

    @Option(names = "--header-map", paramLabel = "drop|refuse|dangerous", defaultValue = "drop",
            description = "What to do with a request header whose name holds an _ (which an app could take for"
                    + " the same name with -): drop it, refuse the request with 400, or pass it on (dangerous)."
                    + " Default: ${DEFAULT-VALUE}.")
    String headerMap;

    @Option(names = {"-u", "--user"}, paramLabel = "USER",
            description = "Run workers as this user (name or uid); the master stays as it started (root, to bind"
                    + " ports below 1024). Default: the master's user.")
    String user;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP",
            description = "Run workers in this group (name or gid). Default: the --user's own group.")
    String group;

    @Option(names = {"-m", "--umask"}, paramLabel = "INT",
            description = "File mode creation mask of the master and workers, e.g. 0o22 or 022 (octal) or 18."
                    + " Default: the umask gunicorn was started with.")
    String umask;

    @Option(names = "--keep-alive", paramLabel = "INT", defaultValue = "2",
            description = "Seconds to wait for the next request on a keep-alive connection. Default: ${DEFAULT-VALUE}.")
    int keepAlive;

    @Option(names = {"-p", "--pid"}, paramLabel = "FILE", defaultValue = DEFAULT_PIDFILE,
            description = "Pidfile of the master. Default: ${DEFAULT-VALUE}.")
    String pidFile;

    @Option(names = "--control-dir", paramLabel = "DIR",
            description = "Directory for the control socket gunictl talks to (mode 0700). Default: the pidfile's"
                    + " path plus .ctl, e.g. gunicorn.pid.ctl.")
    String controlDir;

    @Option(names = {"--error-logfile", "--log-file"}, paramLabel = "FILE", defaultValue = "-",
            description = "Error log; '-' is stderr. Default: ${DEFAULT-VALUE}.")
    String errorLog;

    @Option(names = "--access-logfile", paramLabel = "FILE",
            description = "Access log; '-' is stdout. Default: none.")
    String accessLog;

    @Mixin
    RequestLogOptions requestLog = new RequestLogOptions();

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "debug, info, warning, error or critical. Default: ${DEFAULT-VALUE}.")
    String logLevel;

    @Option(names = {"-n", "--name"}, paramLabel = "STRING",
            description = "Name in process titles (gunicorn: master [NAME]). Default: APP.")
    String name;

    @Option(names = "--worker-java-opts", paramLabel = "OPTIONS",
            description = "JVM options for workers, space separated; replaces the default list: "
                    + "-XX:+UseSerialGC [-XX:TieredStopAtLevel=1] -Xss512k -Xms8m -XmxM -XX:MinHeapFreeRatio=10"
                    + " -XX:MaxHeapFreeRatio=20 -XX:ReservedCodeCacheSize=32m -XX:-UsePerfData"
                    + " -XX:TrimNativeHeapInterval=2000 (the last on JDKs that have it); C1 only unless there are"
                    + " two CPUs per worker JVM; M is half the memory (or the container's limit) divided by"
                    + " -w plus --standby, between 256m and 2048m.")
    String workerJavaOptions;

    @Option(names = "--worker-java", paramLabel = "PATH",
            description = "The java program workers run on, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
                    + " (Java 17 or later). Default: the master's own java.")
    String workerJava;

    @Option(names = "--worker-cds", paramLabel = "auto|off|DIR", defaultValue = "auto",
            description = "Class-data sharing for workers: the master makes an archive of the classes a worker"
                    + " loads (one training run in the background, once per build of the app and server) and"
                    + " later workers start from it. auto keeps archives in $XDG_CACHE_HOME/gunicorn-jvm/cds"
                    + " (~/.cache/...), and is off when workers run as another user (-u): give them a DIR of"
                    + " theirs. Default: ${DEFAULT-VALUE}.")
    String workerCds;

    @Option(names = {"-D", "--daemon"}, description = "Detach from the terminal and run in the background.")
    boolean daemon;

    @Option(names = "--preload", description = "Load the app in the master before starting the workers.")
    boolean preload;

    @Option(names = "--check-config", description = "Check the configuration and the app, then exit.")
    boolean checkConfig;

    @Option(names = "--print-config",
            description = "Print the effective settings as TOML (usable with -c), then exit.")
    boolean printConfig;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** The process environment ($PORT); {@link ConfigSources} sets it, so tests can give their own. */
    Map<String, String> environment = System.getenv();

    /** The picocli model of a fresh instance: the options, their names, types and defaults. */
    static CommandSpec spec() {
        return new CommandLine(new GunicornCommand()).getCommandSpec();
    }

    /** True when the command should only print its help or version, whatever else is wrong. */
    public boolean helpOrVersion() {
        return help || version;
    }

    /** Prints the help or the version, whichever was asked for. */
    public void printHelpOrVersion(PrintStream out) {
        CommandLine commandLine = new CommandLine(new GunicornCommand());
        if (help) {
            commandLine.usage(out);
        } else {
            commandLine.printVersionHelp(out);
        }
    }

    /** --check-config: deploy the app in a check worker, report, exit. */
    public boolean checkConfigOnly() {
        return checkConfig;
    }

    /** --print-config: print the settings as TOML, exit. */
    public boolean printConfigOnly() {
        return printConfig;
    }

    /** @throws IllegalArgumentException with a one-line reason when the options do not validate */
    public Settings settings() {
        AppSettings appSettings = appSettings();
        int workerCount = workers != null ? workers : OptionValues.envWorkers();
        OptionValues.positive("-w/--workers", workerCount);
        OptionValues.notNegative("--standby", standby);
        OptionValues.positive("--threads", threads);
        OptionValues.positive("--backlog", listen.backlog);
        OptionValues.notNegative("-t/--timeout", timeout);
        OptionValues.notNegative("--graceful-timeout", gracefulTimeout);
        OptionValues.notNegative("--keep-alive", keepAlive);
        OptionValues.notNegative("--max-requests", maxRequests);
        OptionValues.notNegative("--max-requests-jitter", maxRequestsJitter);
        OptionValues.positive("--boot-timeout", bootTimeout);
        OptionValues.within("--limit-request-line", limitRequestLine, 0, 8190);
        OptionValues.within("--limit-request-fields", limitRequestFields, 1, 32768);
        OptionValues.within("--limit-request-field_size", limitRequestFieldSize, 0, 65536);
        Logging.level(logLevel);
        List<BindAddress> addresses = edge.binds(OptionValues.bindTexts(listen.binds, environment.get("PORT")));
        TlsConfig tls = edge.tls();
        if (tls != null) {
            tls.load(); // the keys are read and checked now: a bad one stops the start, or refuses a reload
        }
        WorkerJava java = WorkerJava.of(workerJava);
        List<String> javaOptions = workerJavaOptions == null ? WorkerJavaOptions.defaults(java, workerCount + standby)
                : Arrays.stream(workerJavaOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        Settings.WorkerUser workerUser = UserLookup.workerUser(user, group);
        return new Settings(appSettings, addresses, workerCount, standby, threads, timeout, gracefulTimeout, keepAlive, listen.backlog,
                pidFile.isEmpty() ? null : Path.of(pidFile).toAbsolutePath(), OptionValues.absolute(errorLog), OptionValues.absolute(accessLog),
                logLevel, name, javaOptions, daemon, preload,
                configFile == null ? null : Path.of(configFile).toAbsolutePath(),
                controlDir == null ? null : Path.of(controlDir).toAbsolutePath(), maxRequests, maxRequestsJitter,
                bootTimeout, workerUser, umask == null ? null : OptionValues.parseUmask(umask),
                new Settings.RequestLimits(limitRequestLine == 0 ? 8190 : limitRequestLine, limitRequestFields,
                        limitRequestFieldSize), HeaderMap.parse(headerMap),
                OptionValues.workerCdsDirectory(workerCds, workerUser != null),
                SessionStore.parse(sessionStore), java, edge.edge(environment), tls, listen.reusePort,
                reload.settings(preload), requestLog.settings(), metrics.metrics(), hooks.hooks(appSettings.classpath()));
    }

    private AppSettings appSettings() {
        if (app == null || app.isBlank()) {
            throw new IllegalArgumentException("no APP given (name a WAR, a webapp directory or a Servlet class,"
                    + " e.g. gunicorn myapp.war or gunicorn -cp app.jar com.example.MyServlet)");
        }
        AppSource source = AppSource.of(app, Path.of(""));
        if (source instanceof AppSource.War war && !Files.isRegularFile(war.file())) {
            throw new IllegalArgumentException("WAR not found: " + war.file() + " (check APP)");
        }
        if (source instanceof AppSource.ServletClass && classpath.isEmpty()) {
            throw new IllegalArgumentException("no -cp/--classpath given (list the jars or directories that hold " + app + ")");
        }
        List<Path> cp = classpath.stream().filter(s -> !s.isEmpty()).map(Path::of).toList();
        String missing = AppLoader.missingEntry(cp);
        if (missing != null) {
            throw new IllegalArgumentException(missing);
        }
        // Absolute, so that the settings mean the same to workers and in --print-config output.
        cp = cp.stream().map(Path::toAbsolutePath).toList();
        return new AppSettings(app, source, cp, servletApi == null ? null : ServletEnvironment.parse(servletApi),
                OptionValues.rootPath(rootPath), initParameters(), warmupPath == null ? null : OptionValues.warmupPath(warmupPath));
    }

    private Map<String, String> initParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String param : initParams) {
            int eq = param.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--init-param '" + param + "' is not NAME=VALUE");
            }
            parameters.put(param.substring(0, eq), param.substring(eq + 1));
        }
        return parameters;
    }

}
