package dev.gunicornjvm.ctl.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.process.ProcessIdentity;
import dev.gunicornjvm.ctl.support.ExitCode;
import dev.gunicornjvm.ctl.support.GunictlException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterLocatorTest {
    @TempDir
    Path dir;

    private GunictlException lookup(String content) throws Exception {
        Path pid = dir.resolve("gunicorn.pid");
        if (content != null) {
            Files.writeString(pid, content);
        }
        return assertThrows(GunictlException.class, () -> new MasterLocator(new Target(pid, null)).current());
    }

    @Test
    void missingGarbageAndStalePidfilesAreNoMaster() throws Exception {
        GunictlException missing = lookup(null);
        assertEquals(ExitCode.NO_MASTER, missing.exitCode());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        GunictlException garbage = lookup("hello\n");
        assertEquals(ExitCode.NO_MASTER, garbage.exitCode());
        assertTrue(garbage.getMessage().contains("holds 'hello', not a pid"), garbage.getMessage());

        long self = ProcessHandle.current().pid();
        GunictlException notMaster = lookup(self + "\n");
        assertEquals(ExitCode.NO_MASTER, notMaster.exitCode());
        assertTrue(notMaster.getMessage().contains("which is not a gunicorn master"), notMaster.getMessage());
    }

    @Test
    void theOldMasterOnlyDuringAnUpgrade() {
        Target t = new Target(dir.resolve("app.pid"), null);
        assertEquals(dir.resolve("app.pid.oldbin"), t.oldbin());
        assertEquals(Path.of(dir.resolve("app.pid").toAbsolutePath() + ".ctl"), t.controlDirectory());
        GunictlException e = assertThrows(GunictlException.class, () -> new MasterLocator(t).requireOld());
        assertEquals(ExitCode.NO_MASTER, e.exitCode());
        assertTrue(e.getMessage().startsWith("no old master"), e.getMessage());
    }

    @Test
    void aMasterProcessIsPinnedByItsStartTime() {
        ProcessIdentity self = ProcessIdentity.current();
        assertTrue(new MasterProcess(self, dir).alive());
        assertEquals(self.pid(), new MasterProcess(self, dir).pid());
        assertTrue(!new MasterProcess(new ProcessIdentity(self.pid(), self.startTicks() + 1), dir).alive(),
                "another start time is another process");
    }
}
