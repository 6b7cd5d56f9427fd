package dev.gunicornjvm.master.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.http.HeaderMap;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reloader reads the config file as it is now, and keeps the command line and environment of the start. */
class SettingsReloadTest {
    @TempDir
    Path dir;
    Path config;
    String classes;

    @BeforeEach
    void app() throws URISyntaxException {
        classes = Path.of(TestServlet.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        config = dir.resolve("gunicorn.toml");
    }

    private void write(String toml) throws IOException {
        Files.writeString(config, "app = \"" + TestServlet.class.getName() + "\"\nclasspath = \"" + classes + "\"\n"
                + toml);
    }

    @Test
    void picksUpAChangedFileAndKeepsTheOtherSources() throws IOException {
        write("workers = 2\nthreads = 2\ntimeout = 5\n");
        SettingsReloader reloader = new ConfigSources(List.of("-c", config.toString(), "--threads", "8"), "-t 9");
        Settings first = reloader.reload();
        assertEquals(2, first.workers());
        assertEquals(8, first.threads());
        assertEquals(9, first.timeoutSeconds());

        write("workers = 4\nthreads = 3\ntimeout = 6\nkeep_alive = 7\nheader_map = \"refuse\"\n");
        Settings second = reloader.reload();
        assertEquals(4, second.workers(), "the file as it is now");
        assertEquals(8, second.threads(), "the command line still wins");
        assertEquals(9, second.timeoutSeconds(), "GUNICORN_CMD_ARGS as at start still wins");
        assertEquals(7, second.keepAliveSeconds());
        assertEquals(HeaderMap.REFUSE, second.headerMap(), "the next generation's workers refuse names with _");
        assertEquals(config, second.configFile());
    }

    @Test
    void reportsABrokenFileInOneLine() throws IOException {
        write("workers = 2\n");
        SettingsReloader reloader = new ConfigSources(List.of("-c", config.toString()), null);
        reloader.reload();

        write("workers = \n");
        String syntax = assertThrows(IllegalArgumentException.class, reloader::reload).getMessage();
        assertTrue(syntax.startsWith(config + ": TOML syntax error near line 3"), syntax);

        write("workers = 0\n");
        assertEquals("-w/--workers must be at least 1 (got 0)",
                assertThrows(IllegalArgumentException.class, reloader::reload).getMessage());

        Files.writeString(config, "app = \"x.Y\"\nclasspath = \"gone.jar\"\n");
        assertEquals("classpath entry not found: " + dir.resolve("gone.jar") + " (check -cp/--classpath)",
                assertThrows(IllegalArgumentException.class, reloader::reload).getMessage());

        Files.writeString(config, "app = \"x.Y\"\nclasspath = \"" + classes + "\"\n");
        String app = assertThrows(IllegalArgumentException.class, reloader::reload).getMessage();
        assertTrue(app.startsWith("class x.Y not found"), app);

        Files.delete(config);
        assertEquals(config + ": no such file (check -c/--config)",
                assertThrows(IllegalArgumentException.class, reloader::reload).getMessage());
        for (String message : List.of(syntax, app)) {
            assertEquals(1, message.lines().count(), message);
        }
    }
}
