package dev.gunicornjvm.master.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every problem in a config file is one line that names the file and says what to change. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private String error(String toml) throws IOException {
        Path file = dir.resolve("gunicorn.toml");
        Files.writeString(file, toml);
        return assertThrows(IllegalArgumentException.class, () -> ConfigFile.read(file, "gunicorn.toml")).getMessage();
    }

    @Test
    void anUnknownKeySuggestsTheRightOne() throws IOException {
        assertEquals("gunicorn.toml: unknown setting 'wokers' (did you mean 'workers'?)", error("wokers = 2\n"));
        assertEquals("gunicorn.toml: unknown setting 'gracefultimeout' (did you mean 'graceful_timeout'?)",
                error("gracefultimeout = 2\n"));
        assertEquals("gunicorn.toml: unknown setting 'pidfile' (did you mean 'pid'?)", error("pidfile = \"x\"\n"),
                "Gunicorn's own name");
        assertEquals("gunicorn.toml: unknown setting 'frobnicate' (see gunicorn --help for the options;"
                + " keys are their long names, e.g. graceful_timeout, plus app)", error("frobnicate = 1\n"));
    }

    @Test
    void tablesAndActionsAreNotSettings() throws IOException {
        assertEquals("gunicorn.toml: unknown setting 'server' (settings are top-level key = value lines,"
                + " without [tables] or dotted keys)", error("[server]\nworkers = 2\n"));
        assertEquals("gunicorn.toml: 'check_config' is an action, not a setting (remove it; use --check-config"
                + " on the command line)", error("check_config = true\n"));
        assertEquals("gunicorn.toml: 'config' is an action, not a setting (remove it; use --config on the command"
                + " line)", error("config = \"other.toml\"\n"));
    }

    @Test
    void aTomlSyntaxErrorNamesTheLine() throws IOException {
        assertEquals("gunicorn.toml: TOML syntax error near line 2, column 10: Newline not permitted here"
                + " (write one setting a line, key = value, with strings in quotes)", error("threads = 2\nworkers =\n"));
        String unclosed = error("threads = 2\nname = 'x\n");
        assertTrue(unclosed.startsWith("gunicorn.toml: TOML syntax error near line 2, column "), unclosed);
        assertTrue(unclosed.endsWith(" (write one setting a line, key = value, with strings in quotes)"), unclosed);
    }

    @Test
    void aWrongTypeShowsTheRightOne() throws IOException {
        assertEquals("gunicorn.toml: 'workers' must be a whole number, e.g. workers = 4 (got the string \"4\")",
                error("workers = \"4\"\n"));
        assertEquals("gunicorn.toml: 'timeout' must be a whole number, e.g. timeout = 4 (got 2.5)",
                error("timeout = 2.5\n"));
        assertEquals("gunicorn.toml: 'workers' is too large (got 99999999999)", error("workers = 99999999999\n"));
        assertEquals("gunicorn.toml: 'daemon' must be true or false, e.g. daemon = true (got the string \"yes\")",
                error("daemon = \"yes\"\n"));
        assertEquals("gunicorn.toml: 'bind' must be a string or an array of strings, e.g. bind = [\"...\", \"...\"]"
                + " (got an array)", error("bind = [8000]\n"));
        assertEquals("gunicorn.toml: 'pid' must be a string, e.g. pid = \"...\" (got 1)", error("pid = 1\n"));
    }

    @Test
    void oneSettingUnderTwoNamesIsAnError() throws IOException {
        assertEquals("gunicorn.toml: 'graceful_timeout' and 'graceful-timeout' are the same setting (keep one of"
                + " them)", error("graceful_timeout = 1\ngraceful-timeout = 2\n"));
    }

    @Test
    void aMissingFileIsNamed() {
        assertEquals("nope.toml: no such file (check -c/--config)", assertThrows(IllegalArgumentException.class,
                () -> ConfigFile.read(dir.resolve("nope.toml"), "nope.toml")).getMessage());
    }

    @Test
    void anEmptyFileSetsNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("empty.toml"), "# nothing yet\n");
        assertEquals(java.util.List.of(), ConfigFile.read(file, "empty.toml"));
    }
}
