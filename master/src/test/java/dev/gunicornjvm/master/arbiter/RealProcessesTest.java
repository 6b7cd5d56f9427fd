package dev.gunicornjvm.master.arbiter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.posix.Posix;
import org.junit.jupiter.api.Test;

/** A kill that fails with anything but ESRCH is the master's to log, never to die of. */
class RealProcessesTest {
    private final RealProcesses processes = new RealProcesses(Posix.get(), null);
    private final int self = (int) ProcessHandle.current().pid();

    @Test
    void aSignalTheKernelRefusesIsReportedNotThrown() {
        assertFalse(processes.signal(self, 999), "EINVAL: no such signal");
    }

    @Test
    void aSignalToALiveProcessIsSent() {
        assertTrue(processes.signal(self, 0));
    }

    @Test
    void aProcessThatIsGoneIsNoError() {
        assertFalse(processes.signal(Integer.MAX_VALUE - 1, 0), "ESRCH");
    }
}
