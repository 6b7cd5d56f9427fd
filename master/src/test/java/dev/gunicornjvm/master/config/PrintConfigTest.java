package dev.gunicornjvm.master.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.master.Launcher;
import dev.gunicornjvm.master.tls.Pki;
import java.io.ByteArrayOutputStream;
import dev.gunicornjvm.master.hooks.RecordingHooks;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;

/** --print-config and the exit codes of the launcher, short of running a master or a worker. */
class PrintConfigTest {
    @TempDir
    Path dir;
    String classes;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void app() throws URISyntaxException {
        classes = Path.of(TestServlet.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Only with --print-config, --check-config, --help or a bad input: anything else would start a master. */
    private int run(String env, String... args) {
        out.reset();
        err.reset();
        return new Launcher(new ConfigSources(List.of(args), env), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run();
    }

    private String[] withApp(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("-cp", classes, TestServlet.class.getName()));
        return all.toArray(String[]::new);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Settings withoutConfigFile(Settings s) {
        return new Settings(s.app(), s.binds(), s.workers(), s.standby(), s.threads(), s.timeoutSeconds(),
                s.gracefulTimeoutSeconds(), s.keepAliveSeconds(), s.backlog(), s.pidFile(), s.errorLog(), s.accessLog(),
                s.logLevel(), s.procName(), s.workerJavaOptions(), s.daemon(), s.preload(), null, s.controlDir(),
                s.maxRequests(), s.maxRequestsJitter(), s.bootTimeoutSeconds(), s.workerUser(), s.umask(), s.limits(),
                s.headerMap(), s.workerCdsDir(), s.sessionStore(), s.workerJava(), s.edge(), s.tls(), s.reusePort(),
                s.reload(), s.requestLog(), s.metrics(), s.hooks());
    }

    @Test
    void printedSettingsReadBackAsTheSameSettings() throws IOException {
        String[] args = withApp("--print-config", "-w", "3", "--threads", "2", "-t", "10", "--graceful-timeout", "0",
                "--backlog", "64", "-p", "", "--error-logfile", "relative/error.log", "--access-logfile", "-",
                "--log-level", "debug", "-n", "my \"app\" \\ \t", "--worker-java-opts=-Xmx1g -Xss1m", "-D", "--preload",
                "-b", "127.0.0.1:0", "-b", "[::1]:8001", "-b", "unix:" + dir.resolve("app.sock"),
                "--root-path", "/shop/", "--init-param", "greeting=a = b", "--init-param", "x=", "--session-store", "file:sessions",
                "--warmup-path", "/shop/health?x", "--servlet-api", "EE11", "--header-map", "refuse",
                "--reuse-port", "-b", "fd://3", "--reload-extra-file", "templates", "--reload-extra-file", "/etc/app.properties",
                "--access-logformat", "%(h)s \"%(r)s\" %({X-Test}i)s 100%%",
                "--access-log-json", "--statsd-host", "localhost:9125", "--statsd-prefix", "app.", "--dogstatsd-tags", "env:t,b:c",
                "--metrics-bind", "[::1]:9101",
                "--hooks", RecordingHooks.class.getName(), "--hook-timeout", "3",
                "--worker-exit", "echo \"$GUNICORN_WORKER_PID\" >> 'exits'", "--on-exit", "true");
        assertEquals(0, run("--keep-alive 11", args), err());
        String printed = out();
        Path file = Files.writeString(dir.resolve("printed.toml"), printed);

        Settings original = new ConfigSources(List.of(args), "--keep-alive 11").read().settings();
        Settings reread = new ConfigSources(List.of("-c", file.toString()), null).read().settings();
        assertEquals(withoutConfigFile(original), withoutConfigFile(reread), printed);
        assertEquals(11, reread.keepAliveSeconds(), "GUNICORN_CMD_ARGS is part of the effective settings");

        assertEquals(0, run(null, "-c", file.toString(), "--print-config"), err());
        assertEquals(printed, out(), "printing is stable");
    }

    /** The settings of TLS, printed only when keys are given. */
    static final Set<String> TLS_KEYS = Set.of("certfile", "keyfile", "keyfile_password", "ca_certs", "cert_reqs",
            "ciphers", "ssl_version");

    @Test
    void everySettingIsPrinted() {
        assertEquals(0, run(null, withApp("--print-config", "--statsd-host", "unix:/run/statsd.sock", "--access-logfile", "-", "-n", "x", "--control-dir", "ctl", "-u", System.getProperty("user.name"), "-m", "022",
                "--servlet-api", "ee10", "--init-param", "a=b", "--session-store", "memory", "--warmup-path", "/up",
                "--reload-extra-file", "templates", "--metrics-bind", "127.0.0.1:9101",
                "--hooks", RecordingHooks.class.getName(), "--on-starting", "a", "--when-ready", "b", "--on-reload", "c",
                "--pre-fork", "d", "--post-worker-init", "e", "--worker-abort", "f", "--worker-exit", "g", "--child-exit", "h",
                "--nworkers-changed", "i", "--on-exit", "j")), err());
        Set<String> printed = out().lines().map(line -> line.substring(0, line.indexOf(" = ")))
                .collect(Collectors.toSet());
        Set<String> settable = ConfigKeys.settable(GunicornCommand.spec()).values().stream().distinct()
                .map(arg -> arg instanceof OptionSpec option ? ConfigKeys.keyOf(option) : ConfigKeys.APP)
                .collect(Collectors.toSet());
        settable.removeAll(TLS_KEYS); // printed only when TLS is on: see printedTlsSettings
        assertEquals(settable, printed);
    }

    @Test
    void printedTlsSettingsReadBack() throws IOException {
        Pki pki = new Pki(dir);
        pki.ecKey("server.key");
        pki.cert("server.pem", "server.key");
        pki.openssl("pkcs8", "-topk8", "-in", "server.key", "-v2", "aes-256-cbc", "-passout", "pass:s3cret", "-out",
                "server-enc.key");
        Path password = Files.writeString(dir.resolve("password"), "s3cret\n");
        String[] args = withApp("--print-config", "-b", "https://127.0.0.1:0", "-b", "http://127.0.0.1:0",
                "--certfile", pki.file("server.pem").toString(),
                "--keyfile", pki.file("server-enc.key").toString(), "--keyfile-password", "file:" + password,
                "--ca-certs", pki.file("ca.pem").toString(), "--cert-reqs", "2",
                "--ciphers", "TLS_AES_128_GCM_SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "--ssl-version", "TLSv1_3");
        assertEquals(0, run(null, args), err());
        String printed = out();
        for (String line : new String[] {"certfile = \"" + pki.file("server.pem") + "\"",
                "keyfile = \"" + pki.file("server-enc.key") + "\"", "keyfile_password = \"file:" + password + "\"",
                "ca_certs = \"" + pki.file("ca.pem") + "\"", "cert_reqs = \"required\"",
                "ciphers = \"TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\"", "ssl_version = \"TLSv1.3\"",
                "bind = [\"https://127.0.0.1:0\", \"http://127.0.0.1:0\"]"}) {
            assertTrue(printed.contains(line + "\n"), line + " in:\n" + printed);
        }
        Set<String> keys = printed.lines().map(line -> line.substring(0, line.indexOf(" = "))).collect(Collectors.toSet());
        assertTrue(keys.containsAll(TLS_KEYS), printed);
        Path file = Files.writeString(dir.resolve("printed.toml"), printed);
        Settings original = new ConfigSources(List.of(args), null).read().settings();
        Settings reread = new ConfigSources(List.of("-c", file.toString()), null).read().settings();
        assertEquals(withoutConfigFile(original), withoutConfigFile(reread), printed);
        assertEquals(0, run(null, "-c", file.toString(), "--print-config"), err());
        assertEquals(printed, out(), "printing is stable");

        // A bad key stops even --print-config, in one line: the settings are not valid.
        assertEquals(2, run(null, withApp("--print-config", "-b", "https://127.0.0.1:0", "--certfile",
                pki.file("server.pem").toString(), "--keyfile", pki.file("server-enc.key").toString(),
                "--keyfile-password", "wrong")));
        assertEquals("Error: --keyfile " + pki.file("server-enc.key") + ": wrong password for the encrypted key (check"
                + " --keyfile-password)\n", err());
    }

    @Test
    void printedFileNamesAreAbsolute() {
        assertEquals(0, run(null, withApp("--print-config", "-p", "x.pid", "-b", "unix:x.sock")), err());
        assertTrue(out().contains("pid = \"" + Path.of("x.pid").toAbsolutePath() + "\"\n"), out());
        assertTrue(out().contains("bind = [\"unix:" + Path.of("x.sock").toAbsolutePath() + "\"]\n"), out());
        assertTrue(out().contains("classpath = [\"" + classes + "\"]\n"), out());
    }

    @Test
    void usageAndConfigErrorsAreOneLineAndExitTwo() throws IOException {
        assertEquals(2, run(null, withApp("--no-such-flag")));
        assertEquals("Error: Unknown option: '--no-such-flag' (see gunicorn --help)\n", err());
        assertEquals(2, run(null, withApp("-w", "0")));
        assertEquals("Error: -w/--workers must be at least 1 (got 0)\n", err());
        assertEquals(2, run(null, withApp("--reload", "--preload")));
        assertEquals("Error: --reload cannot be used with --preload (a preloaded app only changes with USR2; drop one of"
                + " them)\n", err());
        assertEquals(2, run(null, withApp("--access-logformat", "%(h)s %(t")));
        assertEquals("Error: --access-logformat: unclosed '%(' at position 7 (want %(NAME)s)\n", err());
        assertEquals(2, run(null, withApp("--statsd-host", "statsd:x")));
        assertEquals("Error: --statsd-host 'statsd:x': bad port 'x' (want 1-65535)\n", err());
        assertEquals(2, run(null, withApp("--statsd-prefix", "app")));
        assertEquals("Error: --statsd-prefix and --dogstatsd-tags need --statsd-host\n", err());
        Path bad = Files.writeString(dir.resolve("bad.toml"), "wokers = 2\n");
        assertEquals(2, run(null, withApp("-c", bad.toString(), "--check-config")));
        assertEquals("Error: " + bad + ": unknown setting 'wokers' (did you mean 'workers'?)\n", err());
        assertEquals("", out());
    }

    @Test
    void aWrongAppIsExitFour() {
        assertEquals(4, run(null, "--print-config", "-cp", classes, "example.NoSuchServlet"));
        assertTrue(err().startsWith("Error: class example.NoSuchServlet not found"), err());
        assertEquals("", out(), "nothing printed for settings that cannot run");
    }

    @Test
    void helpAndVersionExitZero() {
        assertEquals(0, run(null, "--help"));
        assertTrue(out().contains("--print-config"), out());
        assertEquals(0, run(null, "--version"));
        assertTrue(out().startsWith("gunicorn-jvm "), out());
    }
}
