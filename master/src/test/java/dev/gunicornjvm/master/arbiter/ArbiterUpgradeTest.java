package dev.gunicornjvm.master.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.control.UpgradeRole;
import dev.gunicornjvm.common.signals.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WINCH, USR2 and the revert of an upgrade, as the spec lists their steps. */
class ArbiterUpgradeTest extends ArbiterTestBase {
    @Test
    void winchIsIgnoredInTheForeground() throws IOException {
        List<Integer> workers = boot("-w", "2");
        h.signal(Signal.WINCH);
        assertTrue(workers.stream().allMatch(pid -> h.processes.signalsTo(pid).isEmpty()));
    }

    @Test
    void usr2ThenWinchThenARevertByHupAndTheNewMastersExit() throws IOException {
        Path pidFile = dir.resolve("app.pid");
        Files.writeString(pidFile, ArbiterHarness.PID + "\n");
        List<Integer> workers = boot("-w", "2", "-p", pidFile.toString());

        h.signal(Signal.USR2);
        assertEquals(1, h.newMastersStarted.get());
        assertEquals(UpgradeRole.NEW_MASTER_RUNNING, h.status().upgrade());
        assertEquals(ArbiterHarness.NEW_MASTER, h.status().otherMaster());
        assertTrue(Files.exists(Path.of(pidFile + ".oldbin")), "PIDFILE.oldbin names this master");
        assertFalse(Files.exists(pidFile));
        h.signal(Signal.USR2);
        assertEquals(1, h.newMastersStarted.get(), "USR2 signal ignored. Child exists.");

        h.signal(Signal.WINCH); // the spec's step: the old workers stop, the master keeps its sockets
        workers.forEach(pid -> assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(pid)));
        assertEquals(2, h.processes.spawned.size(), "and none are started");

        h.signal(Signal.HUP); // revert, first step: workers again, configuration untouched
        assertEquals(4, h.processes.spawned.size());
        assertEquals(1, h.status().generation(), "no reload while a new master exists");

        h.processes.exit(ArbiterHarness.NEW_MASTER, 0); // the new master was sent QUIT
        h.settle();
        assertEquals(UpgradeRole.NONE, h.status().upgrade());
        assertEquals(ArbiterHarness.PID + "\n", Files.readString(pidFile), "PIDFILE names this master again");
        assertFalse(Files.exists(Path.of(pidFile + ".oldbin")));
    }

    @Test
    void theRenameBackUsesThePidfileTheMasterStartedWithWhateverAReloadSays() throws IOException {
        Path pidFile = dir.resolve("app.pid");
        Files.writeString(pidFile, ArbiterHarness.PID + "\n");
        boot("-w", "1", "-p", pidFile.toString());
        h.configuration.set(ArbiterHarness.settings("-w", "1", "-p", dir.resolve("other.pid").toString()));
        h.signal(Signal.HUP);
        h.allReady(h.processes.spawnedOf(2));
        assertEquals(pidFile.toString(), h.status().pidFile(), "the pidfile stays until the next start");

        h.signal(Signal.USR2);
        h.processes.exit(ArbiterHarness.NEW_MASTER, 1); // the new master failed to start
        h.settle();
        assertEquals(ArbiterHarness.PID + "\n", Files.readString(pidFile));
        assertFalse(Files.exists(dir.resolve("other.pid")));
    }

    @Test
    void aNewMasterIgnoresUsr2WhileItsOldMasterLives() throws IOException {
        h = new ArbiterHarness(dir, 7, "-w", "1");
        h.oldMasterAlive.set(true);
        h.settle();
        assertEquals(UpgradeRole.OLD_MASTER_RUNNING, h.status().upgrade());
        h.signal(Signal.USR2);
        assertEquals(0, h.newMastersStarted.get(), "USR2 signal ignored. Parent exists.");
        h.oldMasterAlive.set(false); // its pid gone, or reused by another process
        assertEquals(UpgradeRole.NONE, h.status().upgrade());
        h.signal(Signal.USR2);
        assertEquals(1, h.newMastersStarted.get());
    }
}
