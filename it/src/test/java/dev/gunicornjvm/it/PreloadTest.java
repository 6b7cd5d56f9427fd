package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** --preload: workers serve the app the master loaded, whatever happens to the jar on disk. */
@Tag("signals")
class PreloadTest {
    @Test
    void preloadedWorkersKeepServingTheLoadedVersionAfterTheJarIsReplacedEvenOnHup() throws Exception {
        Path jar = Scratch.dir("gunicorn-preload-").resolve("app.jar");
        AppJar.build(jar, "1");
        try (Gunicorn g = Gunicorn.start("--preload", "-w", "2", "-b", "127.0.0.1:0", "-cp", jar.toString(),
                AppJar.SERVLET)) {
            List<Long> first = g.awaitServingWorkers(2);
            g.awaitOutput("Preloaded app.VersionServlet", Duration.ofSeconds(30));
            AppJar.build(jar, "2");
            Procs.kill("KILL", first.get(0)); // its replacement loads the app again
            Wait.until("a replacement worker", Gunicorn.BOOT, () -> !g.workers().contains(first.get(0)));
            g.awaitServingWorkers(2);
            assertAllAnswer(g, "1");
            g.signal("HUP");
            g.awaitOutput("Preloaded app: HUP reloads the configuration, not the app code", Duration.ofSeconds(30));
            g.awaitOutput("Generation 2 is serving", Duration.ofSeconds(30));
            g.awaitServingWorkers(2);
            assertAllAnswer(g, "1");
        }
    }

    @Test
    void aBrokenPreloadedAppFailsAtOnceWithoutStartingWorkers() throws Exception {
        try (Gunicorn g = Gunicorn.start("--preload", "-w", "2", "-b", "127.0.0.1:0", "-cp",
                Gunicorn.HELLO_JAR.toString(), "example.Missing")) {
            assertEquals(4, g.awaitExit(Duration.ofSeconds(30)), g.output());
            assertFalse(g.output().contains("Booting worker"), g.output());
        }
    }

    private static void assertAllAnswer(Gunicorn g, String version) {
        for (int i = 0; i < 10; i++) {
            assertEquals(version, AppJar.version(Http.getClosing("127.0.0.1", g.port(), "/")));
        }
    }
}
