package dev.gunicornjvm.common.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import dev.gunicornjvm.common.edge.EdgeSettings;
import dev.gunicornjvm.common.edge.TlsSettings;
import dev.gunicornjvm.common.instrument.RequestLogSettings;
import dev.gunicornjvm.common.statsd.StatsdTarget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerSettingsTest {
    @TempDir
    Path dir;

    @Test
    void everyValueReadsBackAsWritten() throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("z.last=first", "a = b : c \\ d");
        params.put("ünïcode", "värde\nwith a line break");
        params.put("empty", "");
        WorkerSettings written = new WorkerSettings(null, "/srv/app dir/webapp", List.of("/a b/x.jar", "/c:d/y.jar", ""),
                "/tmp/work", "/shop", params, "/health?x=1#y", "file:/tmp/sessions", List.of("inet,http://127.0.0.1:8000",
                "unix,unix:/run/g.sock"), 4, "8190,100,8190", "dangerous", new EdgeSettings(true, List.of("10.0.0.0/8", "::1"),
                Map.of("X-Scheme", "https"), true, List.of("*"), new TlsSettings("/run/k.p12", "pw=:x", "/run/ca.p12",
                TlsSettings.ClientAuth.OPTIONAL, List.of("TLS_AES_128_GCM_SHA256"), "TLSv1.3")), 1000, 50, 7, 3, 250, "/var/log/e.log",
                "-", "debug", 1001, 1002, "my app", false, false,
                new RequestLogSettings("%(h)s \"%({X-Test}i)s\" %%", true,
                        StatsdTarget.parse("[::1]:9125", "app.", "env:test, team:web")), true,

                new dev.gunicornjvm.common.hooks.WorkerHookSettings("com.example.Hooks", 2500, 3));
        Path file = dir.resolve("worker-1.properties");
        written.write(file);
        assertEquals(written, WorkerSettings.read(file));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)), "it may hold the keystore's password");
        assertEquals(List.copyOf(params.keySet()), List.copyOf(WorkerSettings.read(file).initParameters().keySet()),
                "in their order");

        WorkerSettings training = written.forTraining();
        training.write(file);
        WorkerSettings read = WorkerSettings.read(file);
        assertEquals(training, read);
        assertTrue(read.train());
        written.forCheck().write(file);
        assertTrue(WorkerSettings.read(file).check());
    }

    @Test
    void absentOptionalValuesStayAbsent() throws IOException {
        WorkerSettings written = new WorkerSettings("example.Hello", null, List.of(), null, "/", Map.of(), null,
                "memory", List.of(), 1, "4094,100,8190", "drop", EdgeSettings.DEFAULT, 0, 0, 30, 2, 1000, "-", null, "info", null, null,
                "example.Hello", false, false, null, false, null);
        Path file = dir.resolve("w.properties");
        written.write(file);
        assertEquals(written, WorkerSettings.read(file));
    }

    @Test
    void aMalformedFileIsOneLineOfReason() throws IOException {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "title=x\nthreads=many\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerSettings.read(file));
        assertEquals("bad threads 'many' (want a number)", e.getMessage());
        Files.writeString(file, "threads=1\n");
        assertThrows(IllegalArgumentException.class, () -> WorkerSettings.read(file));
    }
}
