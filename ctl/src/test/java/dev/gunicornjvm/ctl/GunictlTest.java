package dev.gunicornjvm.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GunictlTest {
    @Test
    void everySubcommandIsKnownByItsOwnName() {
        CommandLine all = Gunictl.commandLine();
        assertEquals(List.of("status", "reload", "upgrade", "scale", "stop", "quit", "reopen-logs", "winch", "kill",
                "generate-completion", "shell"), List.copyOf(all.getSubcommands().keySet()));
    }

    @Test
    void aStandaloneCommandGetsOnlyItsOwnModel() {
        CommandLine cl = Gunictl.commandLine(new String[] {"-p", "status", "status", "--json"});
        assertEquals(List.of("status"), List.copyOf(cl.getSubcommands().keySet()));
        assertEquals(11, Gunictl.commandLine(new String[] {"shell"}).getSubcommands().size());
        assertEquals(11, Gunictl.commandLine(new String[] {"--help"}).getSubcommands().size());
        assertEquals(11, Gunictl.commandLine(new String[] {"no-such-command"}).getSubcommands().size());
    }

    @Test
    void theCommandIsTheFirstWordThatIsNoOptionValue() {
        assertEquals("scale", Gunictl.commandName(new String[] {"--pid", "x.pid", "--control-dir", "d", "scale", "3"}));
        assertEquals("reload", Gunictl.commandName(new String[] {"--pid=x.pid", "reload"}));
        assertNull(Gunictl.commandName(new String[] {"-p", "x.pid"}));
    }
}
