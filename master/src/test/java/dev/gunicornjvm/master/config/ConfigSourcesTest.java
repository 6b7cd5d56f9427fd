package dev.gunicornjvm.master.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.http.HeaderMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence among the command line, GUNICORN_CMD_ARGS, the config file and the defaults. */
class ConfigSourcesTest {
    @TempDir
    Path dir;
    Path jar;
    Path config;

    @BeforeEach
    void files() throws IOException {
        jar = Files.createFile(dir.resolve("app.jar")); // only its existence is checked here
        config = dir.resolve("gunicorn.toml");
    }

    private Settings settings(String env, String... cli) {
        return new ConfigSources(List.of(cli), env).read().settings();
    }

    private String[] withApp(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("-cp", jar.toString(), "example.App"));
        return all.toArray(String[]::new);
    }

    private void write(String toml) throws IOException {
        Files.writeString(config, toml);
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        Settings s = settings(null, withApp());
        assertEquals(List.of("127.0.0.1:8000"), s.binds().stream().map(Object::toString).toList());
        assertEquals(1, s.threads());
        assertEquals(30, s.timeoutSeconds());
        assertEquals(Path.of(GunicornCommand.DEFAULT_PIDFILE).toAbsolutePath(), s.pidFile());
        assertEquals(WorkerJavaOptions.defaults(s.workers()), s.workerJavaOptions());
        assertFalse(s.daemon());
        assertFalse(s.preload());
        assertNull(s.configFile());
        assertEquals(HeaderMap.DROP, s.headerMap(), "Gunicorn's default");
    }

    private List<String> bindsWithPort(String port, String env, String... cli) {
        return new ConfigSources(List.of(cli), env, port == null ? Map.of() : Map.of("PORT", port)).read().settings()
                .binds().stream().map(Object::toString).toList();
    }

    @Test
    void portFromTheEnvironmentIsTheDefaultBindOnEveryAddress() throws IOException {
        assertEquals(List.of("0.0.0.0:5000"), bindsWithPort("5000", null, withApp()), "Gunicorn's rule");
        assertEquals(List.of("127.0.0.1:8000"), bindsWithPort(null, null, withApp()));
        assertEquals(List.of("127.0.0.1:9000"), bindsWithPort("5000", null, withApp("-b", "127.0.0.1:9000")),
                "a bind on the command line wins");
        assertEquals(List.of("127.0.0.1:9001"), bindsWithPort("5000", "--bind 127.0.0.1:9001", withApp()),
                "so does one in GUNICORN_CMD_ARGS");
        write("bind = [\"unix:/tmp/app.sock\"]\n");
        assertEquals(List.of("unix:/tmp/app.sock"), bindsWithPort("5000", null, withApp("-c", config.toString())),
                "and one in the config file");
        for (String bad : new String[] {"http", "70000", "-1", ""}) {
            String message = assertThrows(IllegalArgumentException.class, () -> bindsWithPort(bad, null, withApp()))
                    .getMessage();
            assertEquals("PORT='" + bad + "' is not a port number (set it to 0-65535, unset it, or give -b/--bind)",
                    message);
        }
    }

    @Test
    void headerMapIsGunicornsThreeValuesFromAnySource() throws IOException {
        write("header_map = \"dangerous\"\n");
        assertEquals(HeaderMap.DANGEROUS, settings(null, withApp("-c", config.toString())).headerMap());
        assertEquals(HeaderMap.REFUSE, settings("--header-map Refuse", withApp("-c", config.toString())).headerMap(),
                "case does not matter, as in Gunicorn");
        String message = assertThrows(IllegalArgumentException.class,
                () -> settings(null, withApp("--header-map", "allow"))).getMessage();
        assertEquals("--header-map 'allow' is not one of drop, refuse, dangerous", message);
    }

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefaults() throws IOException {
        write("""
                workers = 2
                threads = 3
                timeout = 4
                keep_alive = 5
                """);
        Settings s = settings("-w 6 --threads 7 -t 8", withApp("-c", config.toString(), "--threads", "9"));
        assertEquals(9, s.threads(), "command line over GUNICORN_CMD_ARGS and file");
        assertEquals(8, s.timeoutSeconds(), "GUNICORN_CMD_ARGS over file");
        assertEquals(6, s.workers(), "GUNICORN_CMD_ARGS over file");
        assertEquals(5, s.keepAliveSeconds(), "file over default");
        assertEquals(30, s.gracefulTimeoutSeconds(), "default");
    }

    @Test
    void aListFromAHigherSourceReplacesTheWholeListBelow() throws IOException {
        write("""
                bind = ["127.0.0.1:9001", "127.0.0.1:9002"]
                classpath = ["a.jar", "b.jar"]
                """);
        Settings s = settings(null, withApp("-c", config.toString(), "-b", "127.0.0.1:9003"));
        assertEquals(List.of("127.0.0.1:9003"), s.binds().stream().map(Object::toString).toList());
        assertEquals(List.of(jar), s.app().classpath(), "-cp replaces the file's classpath, missing entries and all");

        Settings env = settings("-b 127.0.0.1:9004 -b 127.0.0.1:9005", withApp("-c", config.toString()));
        assertEquals(List.of("127.0.0.1:9004", "127.0.0.1:9005"), env.binds().stream().map(Object::toString).toList());
    }

    @Test
    void theFileAloneCanNameAppAndClasspath() throws IOException {
        write("""
                app = "example.FromFile"
                classpath = "app.jar"
                bind = "127.0.0.1:9000"
                daemon = true
                preload = true
                """);
        Settings s = settings(null, "-c", config.toString());
        assertEquals("example.FromFile", s.app().name());
        assertEquals(List.of(jar), s.app().classpath());
        assertEquals("127.0.0.1:9000", s.binds().get(0).toString());
        assertTrue(s.daemon());
        assertTrue(s.preload());
        assertEquals(config.toAbsolutePath(), s.configFile());
        assertEquals("example.Other", settings(null, "-c", config.toString(), "example.Other").app().name(),
                "APP on the command line wins");
    }

    @Test
    void theConfigFileCanBeNamedInTheEnvironment() throws IOException {
        write("workers = 3\n");
        Settings s = settings("-c '" + config + "'", withApp());
        assertEquals(3, s.workers());
        assertEquals(config, s.configFile());
    }

    @Test
    void falseInTheFileIsTheDefaultAndTheCommandLineCanStillSwitchItOn() throws IOException {
        write("daemon = false\npreload = false\n");
        assertFalse(settings(null, withApp("-c", config.toString())).daemon());
        assertTrue(settings(null, withApp("-c", config.toString(), "-D", "--preload")).daemon());
    }

    @Test
    void relativePathsInTheFileAreRelativeToItsDirectory() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(sub.resolve("lib"));
        Files.createFile(sub.resolve("lib/app.jar"));
        Files.createFile(sub.resolve("lib/more.jar"));
        Path file = sub.resolve("gunicorn.toml");
        Files.writeString(file, """
                app = "example.App"
                classpath = "lib/app.jar:lib/more.jar"
                pid = "run/gunicorn.pid"
                error_logfile = "log/error.log"
                access_logfile = "/var/log/access.log"
                bind = ["unix:run/app.sock", "127.0.0.1:0"]
                """);
        Settings s = settings(null, "-c", file.toString());
        assertEquals(List.of(sub.resolve("lib/app.jar"), sub.resolve("lib/more.jar")), s.app().classpath());
        assertEquals(sub.resolve("run/gunicorn.pid"), s.pidFile());
        assertEquals(sub.resolve("log/error.log").toString(), s.errorLog());
        assertEquals("/var/log/access.log", s.accessLog(), "absolute paths stay as they are");
        assertEquals("unix:" + sub.resolve("run/app.sock"), s.binds().get(0).toString());
    }

    @Test
    void aWarOrWebappDirectoryInTheFileIsRelativeToItsDirectoryAndSoIsASessionDirectory() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(sub.resolve("releases/current/WEB-INF"));
        Files.createFile(sub.resolve("app.war"));
        Path file = sub.resolve("gunicorn.toml");
        Files.writeString(file, "app = \"app.war\"\nsession_store = \"file:sessions\"\n"
                + "init_param = [\"spring.profiles.active=prod\", \"empty=\"]\nroot_path = \"/shop/\"\n");
        Settings s = settings(null, "-c", file.toString());
        assertEquals(new dev.gunicornjvm.master.app.AppSource.War(sub.resolve("app.war")), s.app().source());
        assertEquals(sub.resolve("sessions"), s.sessionStore().directory());
        assertEquals(java.util.Map.of("spring.profiles.active", "prod", "empty", ""), s.app().initParameters());
        assertEquals("/shop", s.app().rootPath());
        Files.writeString(file, "app = \"releases/current\"\n");
        assertEquals(new dev.gunicornjvm.master.app.AppSource.WebappDirectory(sub.resolve("releases/current")),
                settings(null, "-c", file.toString()).app().source());
        Files.writeString(file, "app = \"releases\"\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings(null, "-c", file.toString()));
        assertTrue(e.getMessage().startsWith(file + ": APP releases is a directory without WEB-INF/"), e.getMessage());
    }

    @Test
    void relativePathsOnTheCommandLineAreRelativeToTheCurrentDirectory() throws IOException {
        write("pid = \"file.pid\"\naccess_logfile = \"file.log\"\n");
        Settings s = settings(null, withApp("-c", config.toString(), "-p", "cli.pid", "--access-logfile", "cli.log"));
        assertEquals(Path.of("cli.pid").toAbsolutePath(), s.pidFile());
        assertEquals(Path.of("cli.log").toAbsolutePath().toString(), s.accessLog());
    }

    @Test
    void specialFileValuesAreNotPaths() throws IOException {
        write("pid = \"\"\nerror_logfile = \"-\"\naccess_logfile = \"-\"\n");
        Settings s = settings(null, withApp("-c", config.toString()));
        assertNull(s.pidFile(), "pid = \"\" is no pidfile, as -p ''");
        assertEquals("-", s.errorLog());
        assertEquals("-", s.accessLog());
    }

    @Test
    void keysTakeUnderscoresOrDashes() throws IOException {
        write("graceful-timeout = 7\nworker_java_opts = \"-Xmx1g  -Xss1m\"\nlog-file = \"-\"\n");
        Settings s = settings(null, withApp("-c", config.toString()));
        assertEquals(7, s.gracefulTimeoutSeconds());
        assertEquals(List.of("-Xmx1g", "-Xss1m"), s.workerJavaOptions());
    }

    @Test
    void aFileValueStartingWithADashIsAValueNotAnOption() throws IOException {
        write("worker_java_opts = \"-w\"\nname = \"--help\"\n");
        Settings s = settings(null, withApp("-c", config.toString()));
        assertEquals(List.of("-w"), s.workerJavaOptions());
        assertEquals("--help", s.procName());
    }

    @Test
    void theFileIsValidatedLikeTheCommandLine() throws IOException {
        write("workers = 0\n");
        assertEquals("-w/--workers must be at least 1 (got 0)", assertThrows(IllegalArgumentException.class,
                () -> settings(null, withApp("-c", config.toString()))).getMessage());
    }

    @Test
    void problemsInTheEnvironmentAreNamedAsSuch() {
        assertEquals("GUNICORN_CMD_ARGS: Unknown option: '--bogus' (see gunicorn --help)",
                assertThrows(IllegalArgumentException.class, () -> settings("--bogus", withApp())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings("-n 'x", withApp()))
                .getMessage().startsWith("GUNICORN_CMD_ARGS: no closing ' quote"));
    }

    @Test
    void commandLineProblemsKeepTheirMessage() {
        assertEquals("Unknown option: '--no-such-flag' (see gunicorn --help)",
                assertThrows(IllegalArgumentException.class, () -> settings(null, withApp("--no-such-flag")))
                        .getMessage());
    }

    @Test
    void helpNeedsNoReadableFile() {
        GunicornCommand command = new ConfigSources(List.of("-c", "/no/such.toml", "--help"), null).read();
        assertTrue(command.helpOrVersion());
    }
}
