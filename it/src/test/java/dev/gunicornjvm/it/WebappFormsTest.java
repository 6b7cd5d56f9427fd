package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The other forms of APP and environments: a Jersey 4 WAR started by its ServletContainerInitializer
 * with annotated filters and listeners, a javax.servlet WAR recognised and run on ee8, an exploded
 * webapp directory with a web-fragment.xml under --root-path, and a Servlet class on ee10.
 */
class WebappFormsTest {
    @Test
    void jerseyWarStartsThroughItsInitializerWithAnnotatedFilterListenerAndErrorPage() throws Exception {
        try (Gunicorn g = Gunicorn.app(Apps.JERSEY, 2)) {
            g.awaitServingWorkers(2, "/api/hello");
            Http.Reply hello = Http.request(g.port(), "/api/hello");
            assertTrue(hello.body().matches("Hello from worker \\d+ \\(version 1\\)\n"), hello.body());
            assertEquals("jersey", hello.header("X-Example-Filter"), "the @WebFilter ran");
            assertEquals("contextInitialized=true\n", Http.request(g.port(), "/api/listener").body(), "the @WebListener ran");
            assertTrue(Http.request(g.port(), "/").body().contains("Jersey example"), "welcome file");
            Http.Reply missing = Http.request(g.port(), "/no/such/page");
            assertEquals(404, missing.status());
            assertTrue(missing.body().contains("Not found (Jersey example)"), "web.xml's error page: " + missing.body());
            assertSessionSharedByWorkers(g, "/api/counter", 2);
            assertTrue(g.output().matches("(?s).*\\[\\d+\\] \\[INFO\\] example\\.jersey\\.ExampleApplication: Jersey example started\n.*"),
                    "java.util.logging lines reach the error log in its format:\n" + g.output());
        }
    }

    @Test
    void javaxServletWarIsRecognisedAndRunsOnEe8() throws Exception {
        try (Gunicorn g = Gunicorn.app(Apps.JAVAX, 2)) {
            g.awaitOutput("javax-servlet-example\\.war uses javax\\.servlet: serving it in ee8 \\(Servlet 4\\.0, javax\\.servlet\\)",
                    Gunicorn.BOOT);
            g.awaitServingWorkers(2, "/hello");
            Http.Reply hello = Http.request(g.port(), "/hello");
            assertEquals("javax", hello.header("X-Example-Filter"), "web.xml's filter ran");
            assertEquals("listener=true hello-initialized=true\n", Http.request(g.port(), "/status").body(),
                    "the @WebListener ran and the load-on-startup servlet was initialised before the worker served");
            Http.Reply file = Http.request(g.port(), "/static.txt");
            assertEquals("static file from the javax.servlet example\n", file.body());
            String etag = file.header("ETag");
            assertTrue(etag != null && file.header("Last-Modified") != null, file.toString());
            Set<Integer> revalidated = new HashSet<>();
            for (int i = 0; i < 6; i++) { // every worker serves the same ETag for the same file
                revalidated.add(Http.request(g.port(), "/static.txt", "If-None-Match: " + etag).status());
            }
            assertEquals(Set.of(304), revalidated);
            assertEquals(404, Http.request(g.port(), "/nope").status());
            assertSessionSharedByWorkers(g, "/counter", 2);
        }
    }

    @Test
    void anExplodedWebappDirectoryWithAFragmentServesUnderItsRootPath() throws Exception {
        Path dir = Apps.explode(Apps.JAVAX, Scratch.dir("gunicorn-webapp-").resolve("javax-app"));
        // A library's web-fragment.xml maps one more servlet, as frameworks' jars do.
        Apps.jar(dir.resolve("WEB-INF/lib/fragment.jar"), Map.of("META-INF/web-fragment.xml", """
                <web-fragment xmlns="http://xmlns.jcp.org/xml/ns/javaee" version="4.0">
                  <name>fragment</name>
                  <servlet><servlet-name>fromFragment</servlet-name><servlet-class>example.javax.HelloServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>fromFragment</servlet-name><url-pattern>/fragment</url-pattern></servlet-mapping>
                </web-fragment>
                """));
        try (Gunicorn g = Gunicorn.app(dir, 1, "--root-path", "/shop")) {
            g.awaitServingWorkers(1, "/shop/hello");
            assertTrue(Http.request(g.port(), "/shop/fragment").body().startsWith("Hello from worker"),
                    "the fragment's servlet");
            assertEquals(404, Http.request(g.port(), "/hello").status(), "nothing outside the root path");
            assertTrue(Http.request(g.port(), "/shop/").body().contains("javax.servlet example"));
        }
    }

    @Test
    void aServletClassRunsOnEe10WithItsInitParametersUnderItsRootPath() throws Exception {
        try (Gunicorn g = Gunicorn.start("-w", "1", "-b", "127.0.0.1:0", "--servlet-api", "ee10", "--root-path", "/ctx",
                "--init-param", "greeting=hello there", "-cp", Gunicorn.FIXTURES.toString(), "fixtures.InitParamServlet")) {
            g.awaitServingWorkers(1, "/ctx/");
            assertTrue(Http.request(g.port(), "/ctx/x").body().startsWith("greeting=hello there context=/ctx servlet=6.0 "),
                    "Servlet 6.0 is ee10's");
            String args = Gunicorn.read(WarReloadTest.runtimeDirectory(g).resolve("worker-1.args"));
            assertTrue(args.contains("/lib/ee10/jetty-ee10-servlet-") && !args.contains("/lib/ee11/"),
                    "the worker runs ee10's jars only:\n" + args);
        }
    }

    @Test
    void aWebappsInitParametersAreContextParametersSpringReads() throws Exception {
        try (Gunicorn g = Gunicorn.app(Apps.SPRING_BOOT, 1, "--init-param", "app.version=7")) {
            g.awaitServingWorkers(1, "/hello");
            assertEquals("7", AppJar.version(Http.request(g.port(), "/hello")));
        }
    }

    /** A session counter ("count=N worker=PID") that counts on whichever worker each new connection lands. */
    private static void assertSessionSharedByWorkers(Gunicorn g, String path, int workers) {
        Http.Reply first = Http.request(g.port(), path);
        String cookie = first.header("Set-Cookie").split(";")[0];
        Set<String> answered = new HashSet<>(List.of(first.body().substring(first.body().indexOf("worker="))));
        for (int n = 2; n <= 20; n++) {
            Http.Reply r = Http.request(g.port(), path, "Cookie: " + cookie);
            assertTrue(r.body().startsWith("count=" + n + " worker="), "request " + n + ": " + r.body());
            answered.add(r.body().substring(r.body().indexOf("worker=")));
        }
        assertEquals(workers, answered.size(), "the session was used by every worker: " + answered);
    }
}
