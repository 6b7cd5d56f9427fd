package dev.gunicornjvm.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FastStatusTest {
    /** What picocli makes of a command line: the options status runs with. */
    private static FastStatus.Options picocli(String... args) {
        CommandLine cl = Gunictl.commandLine(args);
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        CommandLine.ParseResult sub = parsed.subcommand();
        assertEquals("status", sub.commandSpec().name());
        Path pid = parsed.commandSpec().findOption("--pid").getValue();
        Path controlDir = parsed.commandSpec().findOption("--control-dir").getValue();
        boolean json = sub.commandSpec().findOption("--json").getValue();
        double timeout = sub.commandSpec().findOption("--timeout").getValue();
        return new FastStatus.Options(pid, controlDir, json, timeout);
    }

    @Test
    void everyFormItTakesMeansWhatItMeansToPicocli() {
        List<String[]> lines = List.of(
                new String[] {"status"},
                new String[] {"status", "--json"},
                new String[] {"-p", "x.pid", "status"},
                new String[] {"--pid", "/tmp/x.pid", "status", "--json"},
                new String[] {"--pid=x.pid", "status", "--timeout", "2.5"},
                new String[] {"status", "-p", "x.pid", "--timeout=3"},
                new String[] {"status", "--pid=a b.pid", "--control-dir", "/run/ctl", "--json"},
                new String[] {"--control-dir=d", "status", "--json", "--timeout", "1e1"},
                new String[] {"-p", "reload.pid", "status"},
                new String[] {"status", "--timeout", "0"},
                new String[] {"status", "--timeout", "NaN"},
                new String[] {"status", "--timeout", "99999999"});
        for (String[] line : lines) {
            FastStatus.Options fast = FastStatus.parse(line);
            assertNotNull(fast, String.join(" ", line));
            assertEquals(picocli(line), fast, String.join(" ", line));
        }
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        List<String[]> lines = List.of(
                new String[] {},
                new String[] {"reload"},
                new String[] {"-p", "x.pid"},
                new String[] {"status", "--help"},
                new String[] {"status", "-h"},
                new String[] {"--version", "status"},
                new String[] {"--json", "status"},
                new String[] {"--timeout", "3", "status"},
                new String[] {"status", "status"},
                new String[] {"status", "extra"},
                new String[] {"status", "--json", "--json"},
                new String[] {"-p", "a", "status", "-p", "b"},
                new String[] {"-p", "a", "--pid", "b", "status"},
                new String[] {"status", "--timeout", "1", "--timeout", "2"},
                new String[] {"status", "--timeout", "soon"},
                new String[] {"status", "--timeout"},
                new String[] {"status", "-p"},
                new String[] {"status", "--timeout", "-1"},
                new String[] {"-p", "status", "status"},
                new String[] {"-p", "--json", "status"},
                new String[] {"-p", "@args", "status"},
                new String[] {"@args"},
                new String[] {"-px.pid", "status"},
                new String[] {"-p=x.pid", "status"},
                new String[] {"--pid=", "status"},
                new String[] {"status", "--"},
                new String[] {"status", "--no-such-option"},
                new String[] {"-p", "a\0b", "status"});
        for (String[] line : lines) {
            assertNull(FastStatus.parse(line), String.join(" ", line));
        }
    }

    @Test
    void commandNamesAreGunictlsCommands() {
        assertEquals(Gunictl.commandLine().getSubcommands().keySet(), Set.copyOf(FastStatus.COMMAND_NAMES));
    }
}
