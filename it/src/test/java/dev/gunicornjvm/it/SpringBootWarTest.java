package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real Spring Boot 4 WAR (examples/spring-boot, built from Maven Central), deployed by its
 * SpringBootServletInitializer in two workers: its controller, static files, filter and listener
 * work as under any Servlet container, it gets its own libraries and none of the server's, and its
 * own logging reaches the error log.
 */
class SpringBootWarTest {
    @Test
    @Tag("signals") // also run with the server on JDK 25 (see it/pom.xml)
    void controllerStaticFilesFilterAndListenerAllWorkInEveryWorker() throws Exception {
        try (Gunicorn g = Gunicorn.app(Apps.SPRING_BOOT, 2)) {
            List<Long> workers = g.awaitServingWorkers(2, "/hello");
            Http.Reply hello = Http.request(g.port(), "/hello");
            assertEquals(200, hello.status(), hello.toString());
            assertTrue(hello.body().matches("\\{\"message\":\"Hello from worker \\d+ \\(version 1\\)\",\"worker\":\\d+,\"version\":\"1\"}"),
                    hello.body());
            assertEquals("spring", hello.header("X-Example-Filter"), "the app's filter ran");

            Http.Reply welcome = Http.request(g.port(), "/");
            assertEquals(200, welcome.status());
            assertTrue(welcome.body().contains("Spring Boot example"), welcome.body());
            assertTrue(Http.request(g.port(), "/listener").body().contains("\"contextInitialized\":true"),
                    "the app's ServletContextListener ran");

            Http.Reply file = Http.request(g.port(), "/static.txt");
            assertEquals("static file from the Spring Boot example\n", file.body());
            assertEquals("spring", file.header("X-Example-Filter"));
            Http.Reply range = Http.request(g.port(), "/static.txt", "Range: bytes=7-10");
            assertEquals(206, range.status(), range.toString());
            assertEquals("file", range.body());

            for (long worker : workers) {
                assertTrue(g.output().contains(" " + worker + " --- [spring-boot-example]"),
                        "Spring Boot's own log lines of worker " + worker + " reach the error log:\n" + g.output());
            }
            assertTrue(g.output().contains("Spring Boot example started (version 1)"), g.output());
        }
    }

    @Test
    void theAppGetsItsOwnLibrariesAndCannotSeeTheServers() throws Exception {
        try (Gunicorn g = Gunicorn.app(Apps.SPRING_BOOT, 1)) {
            g.awaitServingWorkers(1, "/hello");
            String libraries = Http.request(g.port(), "/libraries").body();
            // The WAR brings SLF4J 2.0.18, Logback, Jackson 3 and log4j-api 2.25.4; the worker has
            // SLF4J 2.0.17, Log4j 2.25.3 and Jackson 2.20: the app must get exactly its own.
            assertLibrary(libraries, "org.slf4j.LoggerFactory", "slf4j-api-2\\.0\\.18\\.jar");
            assertLibrary(libraries, "ch.qos.logback.classic.Logger", "logback-classic-.*\\.jar");
            assertLibrary(libraries, "tools.jackson.databind.ObjectMapper", "jackson-databind-3\\..*\\.jar");
            assertLibrary(libraries, "com.fasterxml.jackson.annotation.JsonProperty", "jackson-annotations-2\\.21.*\\.jar");
            assertLibrary(libraries, "org.apache.logging.log4j.LogManager", "log4j-api-2\\.25\\.4\\.jar");
            for (String server : List.of("com.fasterxml.jackson.databind.ObjectMapper", "picocli.CommandLine",
                    "jnr.ffi.LibraryLoader", "dev.gunicornjvm.worker.WorkerMain", "org.eclipse.jetty.server.Server")) {
                assertLibrary(libraries, server, "absent");
            }
        }
    }

    private static void assertLibrary(String json, String className, String jarPattern) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(className) + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), className + " in " + json);
        assertTrue(m.group(1).matches(jarPattern), className + " comes from " + m.group(1) + ", not /" + jarPattern + "/");
    }

    @Test
    void checkConfigDeploysTheWarAndSaysWhatItFound() throws Exception {
        try (Gunicorn g = Gunicorn.start("--check-config", Apps.SPRING_BOOT.toString())) {
            assertEquals(0, g.awaitExit(Gunicorn.BOOT), g.output());
            String out = g.output();
            assertTrue(out.contains("Deployed in ee11 (Servlet 6.1, Jakarta EE 11), context path /"), out);
            assertTrue(out.contains("\n  org.springframework.web.SpringServletContainerInitializer\n"), out);
            assertTrue(out.contains("\n  dispatcherServlet (org.springframework.web.servlet.DispatcherServlet) -> /\n"), out);
            assertTrue(out.contains("\n  exampleFilter (example.spring.ExampleFilter) -> /*\n"), out);
            assertTrue(out.contains("\n  example.spring.ExampleContextListener\n"), out);
            assertTrue(out.contains("Configuration OK: " + Apps.SPRING_BOOT + " in ee11"), out);
            g.awaitAllGone(Duration.ofSeconds(30));
        }
    }
}
