package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input gets one clear line, a distinct non-zero exit, and leaves nothing running. */
class BadInputTest {
    private static final Duration EXIT = Duration.ofSeconds(30);

    private static void assertFailsWith(int code, String message, String... args) throws Exception {
        try (Gunicorn g = Gunicorn.start(args)) {
            assertEquals(code, g.awaitExit(EXIT), g.output());
            String output = g.output();
            assertTrue(output.contains(message), "expected '" + message + "' in:\n" + output);
            List<String> errors = output.lines().filter(l -> l.contains("Error")).toList();
            assertEquals(1, errors.size(), "one line says what is wrong:\n" + output);
            g.awaitAllGone(Duration.ofSeconds(30));
        }
    }

    @Test
    void unknownOptionIsAUsageError() throws Exception {
        assertFailsWith(2, "Unknown option: '--no-such-flag'", "--no-such-flag", "-cp", Gunicorn.HELLO_JAR.toString(),
                Gunicorn.HELLO);
    }

    @Test
    void badWorkerCountIsAUsageError() throws Exception {
        assertFailsWith(2, "-w/--workers must be at least 1", "-w", "0", "-cp", Gunicorn.HELLO_JAR.toString(),
                Gunicorn.HELLO);
    }

    @Test
    void badHeaderMapIsAUsageError() throws Exception {
        assertFailsWith(2, "Error: --header-map 'allow' is not one of drop, refuse, dangerous", "--header-map", "allow",
                "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO);
    }

    @Test
    void missingClasspathEntryIsNamed() throws Exception {
        assertFailsWith(2, "classpath entry not found: /no/such.jar", "-cp", "/no/such.jar", Gunicorn.HELLO);
    }

    @Test
    void missingClassIsNamed() throws Exception {
        assertFailsWith(4, "class example.NoSuchServlet not found", "-cp", Gunicorn.HELLO_JAR.toString(),
                "example.NoSuchServlet");
    }

    @Test
    void classThatIsNotAServletIsRefused() throws Exception {
        assertFailsWith(4, "class fixtures.NotAServlet is not a jakarta.servlet.Servlet", "-cp",
                Gunicorn.FIXTURES.toString(), "fixtures.NotAServlet");
    }

    @Test
    void addressInUseIsOneLineAndExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertFailsWith(1, "cannot listen at 127.0.0.1:" + taken.getLocalPort() + ": Address already in use",
                    "-b", "127.0.0.1:" + taken.getLocalPort(), "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO);
        }
    }

    @Test
    void addressNotPermittedSaysWhy() throws Exception {
        assertFailsWith(1, "cannot listen at 192.0.2.1:8000: Cannot assign requested address",
                "-b", "192.0.2.1:8000", "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO);
    }

    @Test
    void anAppThatFailsToBootStopsTheMasterWithExitFourInsteadOfRespawning() throws Exception {
        try (Gunicorn g = Gunicorn.start("-w", "2", "-b", "127.0.0.1:0", "-cp", Gunicorn.FIXTURES.toString(),
                "fixtures.FailingInitServlet")) {
            assertEquals(4, g.awaitExit(EXIT), g.output());
            g.workers();
            g.awaitAllGone(Duration.ofSeconds(30));
            assertTrue(g.output().contains("DATABASE_URL is not set"), g.output());
            assertTrue(g.output().contains("Shutting down: App failed to load."), g.output());
            assertTrue(g.output().lines().filter(l -> l.contains("Booting worker")).count() <= 2,
                    "no respawn loop:\n" + g.output());
        }
    }

    @Test
    void aWorkerJvmThatCannotStartStopsTheMasterWithExitThreeAndTheErrorLogSaysWhy() throws Exception {
        java.nio.file.Path log = Scratch.dir("gunicorn-bad-jvm-").resolve("error.log");
        try (Gunicorn g = Gunicorn.start("-w", "1", "-b", "127.0.0.1:0", "--worker-java-opts", "-XX:+NoSuchJvmFlag",
                "--error-logfile", log.toString(), "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            assertEquals(3, g.awaitExit(EXIT), g.output());
            String errorLog = Gunicorn.read(log);
            assertTrue(errorLog.contains("Shutting down: Worker failed to boot."), errorLog);
            assertTrue(errorLog.contains("NoSuchJvmFlag"), "the JVM's own complaint is in the error log:\n" + errorLog);
        }
    }

    @Test
    void aWarThatIsMissingOrNotAZipIsOneLine() throws Exception {
        assertFailsWith(2, "WAR not found: /no/such/app.war", "/no/such/app.war");
        Path notAZip = Files.writeString(Scratch.dir("gunicorn-bad-war-").resolve("app.war"), "<html>");
        assertFailsWith(4, "cannot read " + notAZip + " as a WAR (a zip file)", notAZip.toString());
    }

    @Test
    void aWebappWhoseDeploymentFailsStopsTheMasterWithExitFourAndSaysWhy() throws Exception {
        Path war = Apps.copy(Apps.JAVAX);
        Apps.replaceEntries(war, java.util.Map.of("WEB-INF/web.xml", "<web-app><servlet><servlet-name>broken</web-app>"));
        try (Gunicorn g = Gunicorn.start("-w", "2", "-b", "127.0.0.1:0", war.toString())) {
            assertEquals(4, g.awaitExit(EXIT), g.output());
            assertTrue(g.output().contains("Worker failed to boot: cannot start " + war + ": org.xml.sax.SAXParseException; lineNumber: 1;"),
                    g.output());
            assertTrue(g.output().contains("Shutting down: App failed to load."), g.output());
            g.awaitAllGone(Duration.ofSeconds(30));
        }
        try (Gunicorn g = Gunicorn.start("--check-config", war.toString())) {
            assertEquals(4, g.awaitExit(EXIT), g.output());
            assertTrue(g.output().matches("(?s).*\nError: cannot start .*SAXParseException.*"), g.output());
        }
    }

    @Test
    void anInitializerThatThrowsIsABootFailureWithItsReason() throws Exception {
        Path war = Apps.copy(Apps.SPRING_BOOT);
        Apps.springRelease(war, "app.fail-on-start=true\napp.version=1\n");
        try (Gunicorn g = Gunicorn.start("-w", "1", "-b", "127.0.0.1:0", war.toString())) {
            assertEquals(4, g.awaitExit(Gunicorn.BOOT), g.output());
            assertTrue(g.output().contains("Worker failed to boot: cannot start " + war
                    + ": java.lang.IllegalStateException: app.fail-on-start is set: refusing to start (version 1)"), g.output());
        }
    }

    @Test
    void aJavaxAppOnAJakartaEnvironmentIsRefused() throws Exception {
        assertFailsWith(4, "javax-servlet-example.war uses javax.servlet, which --servlet-api ee11 does not provide (use ee8)",
                "--servlet-api", "ee11", "-b", "127.0.0.1:0", Apps.JAVAX.toString());
        assertFailsWith(2, "--servlet-api 'ee9' is not one of ee11, ee10, ee8", "--servlet-api", "ee9", Apps.JAVAX.toString());
    }

    @Test
    void aSessionDirectoryOthersMayWriteIsRefused() throws Exception {
        Path sessions = Scratch.dir("gunicorn-open-sessions-");
        Files.setPosixFilePermissions(sessions, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertFailsWith(1, "cannot keep sessions in " + sessions + ": it may be written by others (make it private: chmod go-w",
                "--session-store", "file:" + sessions, "-b", "127.0.0.1:0", "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO);
    }
}
