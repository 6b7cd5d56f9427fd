package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * --reload: a master that starts a new generation by itself when the app's jar or its config file
 * changes, once per change however the file is written.
 */
class DevReloadTest {
    private static final Duration RELOADED = Duration.ofSeconds(60);

    @Test
    void aJarRenamedOverOrOverwrittenAndAConfigMapUpdateEachReloadOnce() throws Exception {
        Path dir = Scratch.dir("gunicorn-dev-reload-");
        Path jar = dir.resolve("app.jar");
        AppJar.build(jar, "1");
        Path config = configMap(dir.resolve("config"), "workers = 1\n");
        try (Gunicorn g = Gunicorn.start("--reload", "-c", config.toString(), "-b", "127.0.0.1:0", "--worker-cds", "off",
                "-cp", jar.toString(), AppJar.SERVLET)) {
            g.awaitServingWorkers(1);
            assertEquals("1", AppJar.version(Http.getClosing("127.0.0.1", g.port(), "/")));

            AppJar.build(jar, "2"); // a new jar written beside it and renamed over it
            awaitGeneration(g, 2, jar, "2");

            AppJar.overwrite(jar, "3"); // written in place, in many writes
            awaitGeneration(g, 3, jar, "3");

            // kubelet's update of a mounted ConfigMap: the file's symlink now leads to another file.
            updateConfigMap(dir.resolve("config"), "workers = 1\nmax_requests = 1000\n");
            awaitGeneration(g, 4, config, "3");
        }
    }

    /** Waits for the reload a change causes, and checks it was the only one. */
    private static void awaitGeneration(Gunicorn g, int generation, Path changed, String version) {
        g.awaitOutput("\\[INFO\\] Reloading: " + Pattern.quote(changed.toString()) + " changed", RELOADED);
        g.awaitOutput("Generation " + generation + " is serving; generation " + (generation - 1) + " retired", RELOADED);
        Wait.until("version " + version + " served", RELOADED,
                () -> version.equals(AppJar.version(Http.getClosing("127.0.0.1", g.port(), "/"))));
        Wait.until("the old generation's worker to leave", RELOADED, () -> g.workers().size() == 1);
        assertEquals(generation - 1, g.outputMatches("\\[INFO\\] Reloading: \\S+ changed"), g.output());
        assertFalse(g.output().contains("Reloading: generation " + (generation + 1)), "one generation per change:\n" + g.output());
    }

    /** A ConfigMap volume as kubelet lays it out: gunicorn.toml -> ..data/gunicorn.toml, ..data -> ..VERSION. */
    private static Path configMap(Path volume, String toml) throws Exception {
        Files.createDirectories(volume);
        Path version = Files.createDirectory(volume.resolve("..1"));
        Files.writeString(version.resolve("gunicorn.toml"), toml);
        Files.createSymbolicLink(volume.resolve("..data"), version.getFileName());
        return Files.createSymbolicLink(volume.resolve("gunicorn.toml"), Path.of("..data/gunicorn.toml"));
    }

    /** kubelet's update: a new version directory, a new ..data link renamed over the old one. */
    private static void updateConfigMap(Path volume, String toml) throws Exception {
        Path version = Files.createDirectory(volume.resolve("..2"));
        Files.writeString(version.resolve("gunicorn.toml"), toml);
        Path link = Files.createSymbolicLink(volume.resolve("..data_tmp"), version.getFileName());
        Files.move(link, volume.resolve("..data"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
