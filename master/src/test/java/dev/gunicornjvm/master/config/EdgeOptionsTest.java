package dev.gunicornjvm.master.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.edge.EdgeSettings;
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

/** The options about HTTP/2, trusted proxies and the PROXY protocol, and how binds get TLS. */
class EdgeOptionsTest {
    @TempDir
    Path dir;
    Path jar;

    @BeforeEach
    void files() throws IOException {
        jar = Files.createFile(dir.resolve("app.jar"));
    }

    private Settings settings(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("-cp", jar.toString(), "example.App"));
        return new ConfigSources(all, null, env).read().settings();
    }

    private Settings settings(String... args) {
        return settings(Map.of(), args);
    }

    private String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> settings(args)).getMessage();
    }

    @Test
    void gunicornsDefaults() {
        Settings s = settings();
        assertEquals(EdgeSettings.DEFAULT, s.edge());
        assertNull(s.tls());
        assertFalse(s.binds().get(0).tls());
        assertEquals(List.of("10.0.0.0/8"), settings(Map.of("FORWARDED_ALLOW_IPS", "10.0.0.0/8")).edge().forwardedAllowIps(),
                "FORWARDED_ALLOW_IPS is the default, as in Gunicorn");
        assertEquals(List.of("*"), settings(Map.of("FORWARDED_ALLOW_IPS", "10.0.0.0/8"), "--forwarded-allow-ips", "*")
                .edge().forwardedAllowIps(), "the option wins");
    }

    @Test
    void optionsReachTheWorkersSettings() {
        EdgeSettings edge = settings("--http-protocols", "h1,h2", "--forwarded-allow-ips", "10.0.0.0/8, 192.168.1.7,::1",
                "--secure-scheme-headers", "X-Scheme=https,Front-End-Https=on", "--proxy-protocol",
                "--proxy-allow-from", "*").edge();
        assertTrue(edge.http2());
        assertEquals(List.of("10.0.0.0/8", "192.168.1.7", "::1"), edge.forwardedAllowIps());
        assertEquals(Map.of("X-SCHEME", "https", "FRONT-END-HTTPS", "on"), edge.secureSchemeHeaders());
        assertTrue(edge.proxyProtocol());
        assertEquals(List.of("*"), edge.proxyAllowFrom());
    }

    @Test
    void badValuesAreOneLineSayingHowToFixThem() {
        assertEquals("--http-protocols: unknown protocol 'h3' (use h1 or h1,h2)", error("--http-protocols", "h1,h3"));
        assertTrue(error("--forwarded-allow-ips", "example.com").startsWith("--forwarded-allow-ips: 'example.com' is not"));
        assertTrue(error("--proxy-allow-from", "10.0.0.0/33").contains("not an IP address, a CIDR range or *"));
        assertTrue(error("--forwarded-allow-ips", "1.2.3").contains("'1.2.3'"));
        assertTrue(error("--secure-scheme-headers", "X-Proto").contains("is not HEADER=VALUE"));
    }

    @Test
    void aSchemeDecidesTlsPerBind() {
        assertEquals(List.of("127.0.0.1:9000", "127.0.0.1:9001"),
                settings("-b", "http://127.0.0.1:9000", "-b", "127.0.0.1:9001").binds().stream()
                        .map(Object::toString).toList(), "http:// is plain, as no scheme without keys");
        assertEquals("bind https://127.0.0.1:9443 uses TLS but no keys are given (add --certfile and --keyfile, or"
                + " --keyfile with a keystore)", error("-b", "https://127.0.0.1:9443"));
        assertTrue(error("--ca-certs", "ca.pem").startsWith("--ca-certs, --ciphers and --keyfile-password need --certfile"));
    }
}
