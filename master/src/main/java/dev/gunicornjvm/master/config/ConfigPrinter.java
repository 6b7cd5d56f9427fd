package dev.gunicornjvm.master.config;

import dev.gunicornjvm.master.app.AppSettings;
import dev.gunicornjvm.master.app.AppSource;
import dev.gunicornjvm.master.app.SessionStore;
import dev.gunicornjvm.common.edge.EdgeSettings;
import dev.gunicornjvm.master.socket.BindAddress;
import dev.gunicornjvm.master.tls.TlsConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --print-config}: the effective settings as TOML, one {@code key = value} a line, in the keys
 * a config file uses, so that the output can be saved and used with {@code -c}. It prints the
 * validated {@link Settings}, not the raw options, so what it shows is what the master would run with
 * (workers from WEB_CONCURRENCY, absolute file names, the default worker JVM options).
 */
public final class ConfigPrinter {
    private final StringBuilder out = new StringBuilder();

    private ConfigPrinter() {
    }

    public static String toToml(Settings s) {
        ConfigPrinter p = new ConfigPrinter();
        AppSettings app = s.app();
        p.line("app", quote(app.source() instanceof AppSource.ServletClass ? app.name() : location(app.source())));
        p.line("classpath", array(app.classpath().stream().map(path -> path.toAbsolutePath().toString()).toList()));
        if (app.servletApi() != null) {
            p.line("servlet_api", quote(app.servletApi().id()));
        }
        p.line("root_path", quote(app.rootPath()));
        if (!app.initParameters().isEmpty()) {
            p.line("init_param", array(app.initParameters().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        if (app.warmupPath() != null) {
            p.line("warmup_path", quote(app.warmupPath()));
        }
        if (!s.sessionStore().equals(SessionStore.PRIVATE)) {
            p.line("session_store", quote(s.sessionStore().toString()));
        }
        p.line("bind", array(s.binds().stream().map(b -> bind(b, s.tls() != null)).toList()));
        p.edge(s);
        p.line("workers", Integer.toString(s.workers()));
        p.line("standby", Integer.toString(s.standby()));
        p.line("threads", Integer.toString(s.threads()));
        p.line("timeout", Integer.toString(s.timeoutSeconds()));
        p.line("graceful_timeout", Integer.toString(s.gracefulTimeoutSeconds()));
        p.line("keep_alive", Integer.toString(s.keepAliveSeconds()));
        p.line("max_requests", Integer.toString(s.maxRequests()));
        p.line("max_requests_jitter", Integer.toString(s.maxRequestsJitter()));
        p.line("boot_timeout", Integer.toString(s.bootTimeoutSeconds()));
        p.line("limit_request_line", Integer.toString(s.limits().line()));
        p.line("limit_request_fields", Integer.toString(s.limits().fields()));
        p.line("limit_request_field_size", Integer.toString(s.limits().fieldSize()));
        p.line("header_map", quote(s.headerMap().id()));
        p.line("backlog", Integer.toString(s.backlog()));
        p.line("reuse_port", Boolean.toString(s.reusePort()));
        if (s.metrics() != null) {
            p.line("metrics_bind", quote(s.metrics().text()));
        }
        p.line("pid", quote(s.pidFile() == null ? "" : s.pidFile().toString())); // "" is no pidfile, as -p ''
        if (s.controlDir() != null) {
            p.line("control_dir", quote(s.controlDir().toString()));
        }
        if (s.workerUser() != null) {
            p.line("user", quote(s.workerUser().user()));
            p.line("group", quote(s.workerUser().group()));
        }
        if (s.umask() != null) {
            p.line("umask", quote("0o" + Integer.toOctalString(s.umask())));
        }
        p.line("error_logfile", quote(s.errorLog()));
        if (s.accessLog() != null) { // TOML has no null: a setting that is not set is left out
            p.line("access_logfile", quote(s.accessLog()));
        }
        p.line("access_logformat", quote(s.requestLog().accessLogFormat()));
        p.line("access_log_json", Boolean.toString(s.requestLog().accessLogJson()));
        if (s.requestLog().statsd() != null) { // the other StatsD keys need it
            p.line("statsd_host", quote(s.requestLog().statsd().address()));
            p.line("statsd_prefix", quote(s.requestLog().statsd().prefix()));
            p.line("dogstatsd_tags", quote(s.requestLog().statsd().tagText()));
        }
        p.line("log_level", quote(s.logLevel()));
        if (s.procName() != null) {
            p.line("name", quote(s.procName()));
        }
        p.line("worker_java_opts", quote(String.join(" ", s.workerJavaOptions())));
        p.line("worker_java", quote(s.workerJava().executable().toString()));
        p.line("worker_cds", quote(s.workerCdsDir() == null ? "off" : s.workerCdsDir().toString()));
        p.line("daemon", Boolean.toString(s.daemon()));
        p.line("preload", Boolean.toString(s.preload()));
        p.line("reload", Boolean.toString(s.reload().enabled()));
        if (!s.reload().extraFiles().isEmpty()) {
            p.line("reload_extra_files", array(s.reload().extraFiles().stream().map(Path::toString).toList()));
        }
        s.hooks().configValues().forEach((key, value) -> p.line(key, value instanceof String text ? quote(text) : value.toString()));
        return p.out.toString();
    }

    /** A WAR or webapp directory, absolute: in a file a relative one would be relative to the file. */
    private static String location(AppSource source) {
        return (source instanceof AppSource.War war ? war.file() : ((AppSource.WebappDirectory) source).directory())
                .toString();
    }

    private void edge(Settings s) {
        EdgeSettings edge = s.edge();
        line("http_protocols", quote(edge.http2() ? "h1,h2" : "h1"));
        line("forwarded_allow_ips", quote(String.join(",", edge.forwardedAllowIps())));
        line("secure_scheme_headers", quote(edge.secureSchemeHeaders().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(","))));
        line("proxy_protocol", Boolean.toString(edge.proxyProtocol()));
        line("proxy_allow_from", quote(String.join(",", edge.proxyAllowFrom())));
        TlsConfig tls = s.tls();
        if (tls == null) {
            return; // TOML has no null: the TLS keys are left out, as they are not set
        }
        if (tls.certFile() != null) {
            line("certfile", quote(tls.certFile().toString()));
        }
        if (tls.keyFile() != null) {
            line("keyfile", quote(tls.keyFile().toString()));
        }
        if (tls.password() != null) {
            line("keyfile_password", quote(tls.password()));
        }
        if (tls.caCerts() != null) {
            line("ca_certs", quote(tls.caCerts().toString()));
        }
        line("cert_reqs", quote(tls.clientAuth().id()));
        if (!tls.cipherSuites().isEmpty()) {
            line("ciphers", quote(String.join(",", tls.cipherSuites())));
        }
        line("ssl_version", quote(tls.minimumProtocol()));
    }

    private void line(String key, String value) {
        out.append(key).append(" = ").append(value).append('\n');
    }

    /**
     * A Unix socket path absolute, since a relative one in a file is relative to the file. With TLS on, a
     * plain bind says http://, or it would read back as a TLS one.
     */
    private static String bind(BindAddress address, boolean tlsOn) {
        String plain = tlsOn && !(address instanceof BindAddress.Fd) ? "http://" : "";
        return address instanceof BindAddress.Unix unix ? (unix.tls() ? "https://" : plain) + "unix:" + unix.path().toAbsolutePath()
                : (address.tls() ? "" : plain) + address;
    }

    private static String array(List<String> values) {
        return "[" + String.join(", ", values.stream().map(ConfigPrinter::quote).toList()) + "]";
    }

    /** A TOML basic string. */
    static String quote(String value) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
