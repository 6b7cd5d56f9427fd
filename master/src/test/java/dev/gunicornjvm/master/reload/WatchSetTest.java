package dev.gunicornjvm.master.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gunicornjvm.master.config.ConfigSources;
import dev.gunicornjvm.master.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What --reload watches, from the settings as the command line and a config file give them. */
class WatchSetTest {
    @TempDir
    Path dir;

    private Settings settings(String... args) {
        return new ConfigSources(List.of(args), null).read().settings();
    }

    private Path classes() throws Exception {
        return Path.of(WatchSetTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void nothingWithoutReload() throws Exception {
        assertEquals(WatchSet.NONE, WatchSet.of(settings("-cp", classes().toString(), "dev.gunicornjvm.master.config.TestServlet")));
    }

    @Test
    void jarsAndTheConfigFileAreFilesDirectoriesAreTreesAndExtraFilesAreRelativeToTheConfigFile() throws Exception {
        Path jar = Files.write(dir.resolve("lib.jar"), new byte[0]);
        Path templates = Files.createDirectory(dir.resolve("templates"));
        Path config = Files.writeString(dir.resolve("gunicorn.toml"), "reload = true\n"
                + "reload_extra_files = [\"templates\", \"app.properties\"]\n"
                + "classpath = [\"" + classes() + "\", \"lib.jar\"]\n"
                + "app = \"dev.gunicornjvm.master.config.TestServlet\"\n");
        WatchSet set = WatchSet.of(settings("-c", config.toString()));
        assertEquals(List.of(jar, config, dir.resolve("app.properties")), set.files(), "a file not there yet is a file");
        assertEquals(List.of(classes(), templates), set.trees());
        assertEquals(classes(), set.treeOf(classes().resolve("a/B.class")));
    }

    @Test
    void theReloadExtraFileOptionIsRepeatable() throws IOException, Exception {
        Settings s = settings("--reload", "--reload-extra-file", "x.txt", "--reload-extra-file", "/etc/y.conf",
                "-cp", classes().toString(), "dev.gunicornjvm.master.config.TestServlet");
        assertEquals(List.of(Path.of("x.txt").toAbsolutePath(), Path.of("/etc/y.conf")), s.reload().extraFiles());
    }
}
