package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example configs of examples/deploy with the real nginx and HAProxy in front of one real master:
 * nginx (plain and TLS) to its Unix socket with forwarded headers, HAProxy in TCP mode with PROXY v2 to
 * its TCP port (--proxy-protocol). Only paths, ports and the certificate are rewritten. curl connects
 * from 127.0.0.2, so the address the app and the access log show can only have come through the proxy.
 * nginx and HAProxy must be installed: bin/install-test-tools.
 */
class BehindProxiesTest {
    private static final String CLIENT = "127.0.0.2";
    private static final Path EXAMPLES = Gunicorn.HOME.resolve("examples/deploy");
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static Gunicorn server;
    private static int nginxHttp;
    private static int nginxHttps;
    private static int haproxy;

    @BeforeAll
    static void start() throws Exception {
        Path nginx = FrontEnd.program("nginx");
        Path haproxyProgram = FrontEnd.program("haproxy");
        Path dir = Scratch.dir("proxies-");
        Path socket = dir.resolve("app.sock");
        try {
            server = Gunicorn.start("-w", "1", "-b", "unix:" + socket, "-b", "127.0.0.1:0", "--proxy-protocol",
                    "--access-logfile", "-", "-cp", Gunicorn.FIXTURES.toString(), "fixtures.ClientInfoServlet");
            RUNNING.add(server);
            server.awaitServingWorkers(1);
            nginxHttp = FrontEnd.freePort();
            nginxHttps = FrontEnd.freePort();
            haproxy = FrontEnd.freePort();
            RUNNING.add(FrontEnd.start("nginx", dir, nginxHttp, nginx.toString(), "-p", dir.toString(), "-c",
                    nginxConfig(dir, socket).toString(), "-g", "daemon off;"));
            RUNNING.add(FrontEnd.start("haproxy", dir, haproxy, haproxyProgram.toString(), "-db", "-f",
                    haproxyConfig(dir).toString()));
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            try {
                RUNNING.get(i).close();
            } catch (Exception e) {
                // The others are stopped all the same.
            }
        }
        RUNNING.clear();
    }

    @Test
    void throughNginxTheAppSeesTheClientTheSchemeAndTheHostItAskedFor() throws Exception {
        String http = curl("http://127.0.0.1:" + nginxHttp + "/via-nginx");
        assertSees(http, "remote=" + CLIENT, "scheme=http", "secure=false", "host=127.0.0.1", "port=" + nginxHttp,
                "url=http://127.0.0.1:" + nginxHttp + "/via-nginx");
        server.awaitOutput("(?m)^127\\.0\\.0\\.2 - - \\[[^]]+\\] \"GET /via-nginx HTTP/1\\.1\" 200 ", Duration.ofSeconds(10));

        String https = curl("-k", "https://127.0.0.1:" + nginxHttps + "/via-nginx-tls");
        assertSees(https, "remote=" + CLIENT, "scheme=https", "secure=true", "port=" + nginxHttps,
                "url=https://127.0.0.1:" + nginxHttps + "/via-nginx-tls");
    }

    @Test
    void forwardedHeadersAClientSendsThroughNginxChangeNothing() throws Exception {
        String spoofed = curl("-H", "X-Forwarded-For: 6.6.6.6", "-H", "Forwarded: for=6.6.6.6;proto=https;host=evil.example",
                "-H", "X-Forwarded-Ssl: on", "-H", "X-Forwarded-Protocol: ssl", "-H", "X-Forwarded-Host: evil.example",
                "-H", "X-Forwarded-Port: 1", "http://127.0.0.1:" + nginxHttp + "/spoofed");
        assertSees(spoofed, "remote=" + CLIENT, "scheme=http", "secure=false", "host=127.0.0.1", "port=" + nginxHttp);
    }

    @Test
    void throughHaproxyThePROXYHeaderGivesTheAppAndTheAccessLogTheClient() throws Exception {
        String reply = curl("-H", "X-Forwarded-For: 6.6.6.6", "-H", "X-Forwarded-Proto: https",
                "http://127.0.0.1:" + haproxy + "/via-haproxy");
        // HAProxy relays the client's own headers: judged by the client's address, they are not believed.
        assertSees(reply, "remote=" + CLIENT, "scheme=http");
        server.awaitOutput("(?m)^127\\.0\\.0\\.2 - - \\[[^]]+\\] \"GET /via-haproxy HTTP/1\\.1\" 200 ",
                Duration.ofSeconds(10));
    }

    private static void assertSees(String body, String... lines) {
        for (String line : lines) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(line) + "$").matcher(body).find(),
                    "the app sees " + line + ":\n" + body);
        }
    }

    /** curl from 127.0.0.2 with these arguments; its output, after checking it succeeded. */
    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--interface", CLIENT));
        command.addAll(List.of(args));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS), "curl finished");
        assertEquals(0, curl.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    /** The example nginx site, on the test's ports, socket and certificate, in a main config of its own. */
    private static Path nginxConfig(Path dir, Path socket) throws IOException, InterruptedException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, openssl.waitFor(), "openssl req:\n" + out);
        String site = rewrite(Files.readString(EXAMPLES.resolve("nginx-gunicorn-jvm.conf")),
                "unix:/run/gunicorn-jvm/app.sock", "unix:" + socket,
                "listen 80;", "listen 127.0.0.1:" + nginxHttp + ";",
                "listen 443 ssl;", "listen 127.0.0.1:" + nginxHttps + " ssl;",
                "/etc/ssl/certs/example.pem", cert.toString(),
                "/etc/ssl/private/example.key", key.toString());
        Files.writeString(dir.resolve("site.conf"), site);
        // As root, nginx's workers would otherwise run as nobody, who may not write to the socket.
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        Path main = dir.resolve("nginx.conf");
        Files.writeString(main, user
                + "worker_processes 1;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("nginx-error.log") + " warn;\n"
                + "events { worker_connections 64; }\n"
                + "http {\n"
                + "  access_log " + dir.resolve("nginx-access.log") + ";\n"
                + "  client_body_temp_path " + dir.resolve("body") + ";\n"
                + "  proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + "  include " + dir.resolve("site.conf") + ";\n"
                + "}\n");
        return main;
    }

    /** The example HAProxy config, listening on the test's port and sending to the master's. */
    private static Path haproxyConfig(Path dir) throws IOException {
        String config = rewrite(Files.readString(EXAMPLES.resolve("haproxy-gunicorn-jvm.cfg")),
                "bind :80", "bind 127.0.0.1:" + haproxy,
                "server app1 127.0.0.1:8000", "server app1 127.0.0.1:" + server.port(),
                "maxconn 4096", "maxconn 64");
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        return file;
    }

    /** Replaces each {@code from} by its {@code to}; each must be there, so the example and the test agree. */
    private static String rewrite(String text, String... fromTo) {
        for (int i = 0; i < fromTo.length; i += 2) {
            assertTrue(text.contains(fromTo[i]), "the example config still has '" + fromTo[i] + "'");
            text = text.replace(fromTo[i], fromTo[i + 1]);
        }
        return text;
    }
}
