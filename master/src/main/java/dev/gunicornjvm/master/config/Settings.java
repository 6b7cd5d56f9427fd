package dev.gunicornjvm.master.config;

import dev.gunicornjvm.common.edge.EdgeSettings;
import dev.gunicornjvm.common.http.HeaderMap;
import dev.gunicornjvm.common.instrument.RequestLogSettings;
import dev.gunicornjvm.master.tls.TlsConfig;
import dev.gunicornjvm.common.posix.FileOwner;
import dev.gunicornjvm.master.app.AppSettings;
import dev.gunicornjvm.master.app.SessionStore;
import dev.gunicornjvm.master.hooks.HookSettings;
import dev.gunicornjvm.master.metrics.MetricsSettings;
import dev.gunicornjvm.master.socket.BindAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The master's effective configuration, validated and immutable. A reload builds a new one; nothing
 * ever changes a Settings in place.
 *
 * @param app              APP, -cp and how the app is mounted
 * @param pidFile          null for none
 * @param accessLog        null for none, "-" for stdout
 * @param standby          booted workers kept beside the serving ones, promoted when capacity is needed (--standby)
 * @param workerJavaOptions JVM options for workers, in addition to the ones the protocol requires
 * @param daemon           detach from the terminal (-D/--daemon)
 * @param preload          load the app in the master before starting workers (--preload)
 * @param configFile       the -c/--config file these settings were read from, or null
 * @param controlDir       --control-dir, or null for the default next to the pidfile
 * @param maxRequests      recycle a worker after this many requests, 0 for never (--max-requests)
 * @param maxRequestsJitter each worker adds a random 0..this to maxRequests, so they recycle apart
 * @param bootTimeoutSeconds a worker not accepting this long after its spawn is killed (--boot-timeout)
 * @param workerUser       -u/--user and -g/--group: who workers run as, or null to stay as the master
 * @param umask            -m/--umask, set in the master and so in every process it starts; null keeps
 *                         the umask the master was started with
 * @param limits           what a request may be at most (--limit-request-*), as in Gunicorn
 * @param headerMap        what workers do with request headers whose name holds an _ (--header-map)
 * @param workerCdsDir     where workers' class-data sharing archives are kept (--worker-cds), or null for none
 * @param sessionStore     where HTTP sessions are kept (--session-store)
 * @param workerJava       the java workers (and the training and check runs) run on (--worker-java)
 * @param edge             HTTP/2, trusted proxies and the PROXY protocol, as workers are told (without keys)
 * @param tls              the TLS options, read again for each generation; null when no bind uses TLS
 * @param reusePort        SO_REUSEPORT on TCP listeners, so other processes may bind the same port (--reuse-port)
 * @param reload           --reload and the files it watches besides the app's and the config file
 * @param requestLog       the access log's format and the StatsD metrics (--access-logformat, --statsd-host, ...)
 * @param metrics          where the master serves metrics and health answers (--metrics-bind), or null for off
 * @param hooks            the server hooks: --hooks, the shell commands, --hook-timeout
 */
public record Settings(
        AppSettings app,
        List<BindAddress> binds,
        int workers,
        int standby,
        int threads,
        int timeoutSeconds,
        int gracefulTimeoutSeconds,
        int keepAliveSeconds,
        int backlog,
        Path pidFile,
        String errorLog,
        String accessLog,
        String logLevel,
        String procName,
        List<String> workerJavaOptions,
        boolean daemon,
        boolean preload,
        Path configFile,
        Path controlDir,
        int maxRequests,
        int maxRequestsJitter,
        int bootTimeoutSeconds,
        WorkerUser workerUser,
        Integer umask,
        RequestLimits limits,
        HeaderMap headerMap,
        Path workerCdsDir,
        SessionStore sessionStore,
        WorkerJava workerJava,
        EdgeSettings edge,
        TlsConfig tls,
        boolean reusePort,
        ReloadSettings reload,
        RequestLogSettings requestLog,
        MetricsSettings metrics,
        HookSettings hooks) {

    /** Gunicorn's request limits: the request line's length, the number of headers, one header's size; 0 is none. */
    public record RequestLimits(int line, int fields, int fieldSize) {
    }

    /** A user and group to drop to, as names (for people) and numbers (for setuid). */
    public record WorkerUser(String user, int uid, String group, int gid) {
        /** Who the files workers write must belong to. */
        public FileOwner owner() {
            return new FileOwner(uid, gid);
        }
    }

    public Settings {
        binds = List.copyOf(binds);
        workerJavaOptions = List.copyOf(workerJavaOptions);
    }

    /** The same settings with the app taken from elsewhere (a preloaded snapshot). */
    public Settings withApp(AppSettings newApp) {
        return new Settings(newApp, binds, workers, standby, threads, timeoutSeconds, gracefulTimeoutSeconds,
                keepAliveSeconds, backlog, pidFile, errorLog, accessLog, logLevel, procName, workerJavaOptions,
                daemon, preload, configFile, controlDir, maxRequests, maxRequestsJitter, bootTimeoutSeconds,
                workerUser, umask, limits, headerMap, workerCdsDir, sessionStore, workerJava, edge, tls, reusePort,
                reload, requestLog, metrics, hooks);
    }

    /** The same settings with other logs: a file name, "-" for the standard stream, null for none. */
    public Settings withLogs(String newErrorLog, String newAccessLog) {
        return new Settings(app, binds, workers, standby, threads, timeoutSeconds, gracefulTimeoutSeconds,
                keepAliveSeconds, backlog, pidFile, newErrorLog, newAccessLog, logLevel, procName, workerJavaOptions,
                daemon, preload, configFile, controlDir, maxRequests, maxRequestsJitter, bootTimeoutSeconds,
                workerUser, umask, limits, headerMap, workerCdsDir, sessionStore, workerJava, edge, tls, reusePort,
                reload, requestLog, metrics, hooks);
    }

    /** Where this master's control socket goes: --control-dir, else PIDFILE.ctl; null without either. */
    public Path controlDirectory() {
        if (controlDir != null) {
            return controlDir;
        }
        return pidFile == null ? null : dev.gunicornjvm.common.control.ControlProtocol.directory(pidFile);
    }

    /** The name in process titles: {@code -n/--name}, else the app. */
    public String title() {
        return procName != null ? procName : app.name();
    }
}
