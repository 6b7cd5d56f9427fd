package dev.gunicornjvm.common.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real processes, as /proc shows them: this JVM, and children started with a process title of our choosing. */
class ProcessIdentityTest {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killWhatWeStarted() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void thisProcessIsAliveWithItsOwnStartTimeOnly() {
        ProcessIdentity self = ProcessIdentity.current();
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertTrue(self.alive());
        assertEquals(Optional.of(self), ProcessIdentity.of(self.pid()), "the same pid and start time on every read");
        assertFalse(new ProcessIdentity(self.pid(), self.startTicks() + 1).alive(),
                "the same pid with another start time is another process, as after a pid is reused");
        ProcessTable.Stat stat = ProcessTable.stat(self.pid()).orElseThrow();
        assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), stat.parent());
        assertTrue(stat.running());
    }

    @Test
    void aMasterIsKnownByItsTitleAndOnlyWhileItLives() throws Exception {
        Process master = titled(ProcessRole.MASTER.title("app"));
        ProcessIdentity identity = ProcessIdentity.of((int) master.pid()).orElseThrow();
        assertTrue(identity.isGunicornMaster(), ProcessTable.cmdline(identity.pid()));
        assertFalse(identity.is(ProcessRole.WORKER));
        assertFalse(new ProcessIdentity(identity.pid(), identity.startTicks() - 1).isGunicornMaster(),
                "a master's title on a process that started at another time is not the master we knew");

        master.destroyForcibly();
        assertTrue(master.waitFor(10, TimeUnit.SECONDS));
        assertFalse(identity.alive());
        assertFalse(identity.isGunicornMaster());
        assertEquals(Optional.empty(), ProcessIdentity.of(identity.pid()));
    }

    @Test
    void titlesNameTheRoleAndTheAppAndNothingElseMatches() throws Exception {
        assertEquals("gunicorn: master [app.war]", ProcessRole.MASTER.title("app.war"));
        assertEquals("gunicorn: worker [app.war]", ProcessRole.WORKER.title("app.war"));
        assertEquals("gunicorn: check [app.war]", ProcessRole.CHECK.title("app.war"));
        assertEquals("gunicorn: cds-training [app.war]", ProcessRole.CDS_TRAINING.title("app.war"));
        // As ps shows a worker before it overwrites its argv: the title, then its argument file.
        assertTrue(ProcessRole.WORKER.titles("gunicorn: worker [app] @/tmp/gunicorn-jvm-1-x/worker-1.args"));

        Process lookalike = titled("gunicorn: masters [app]");
        ProcessIdentity identity = ProcessIdentity.of((int) lookalike.pid()).orElseThrow();
        assertTrue(identity.alive());
        assertFalse(identity.isGunicornMaster(), ProcessTable.cmdline(identity.pid()));
        assertFalse(ProcessIdentity.current().isGunicornMaster(), "a JVM running tests is no master");
    }

    @Test
    void noProcessNoIdentity() {
        // Above the kernel's pid_max limit (4194304 at most), so certainly not running.
        assertEquals(Optional.empty(), ProcessIdentity.of(Integer.MAX_VALUE));
        assertEquals("", ProcessTable.cmdline(Integer.MAX_VALUE));
        assertFalse(new ProcessIdentity(Integer.MAX_VALUE, 1).alive());
    }

    /** A sleeping child whose argv[0], and so its /proc/PID/cmdline, starts with {@code title}. */
    private Process titled(String title) throws IOException {
        Process p = new ProcessBuilder("bash", "-c", "exec -a \"$0\" sleep 60", title).start();
        started.add(p);
        until("pid " + p.pid() + " to run as '" + title + "'", Duration.ofSeconds(10),
                () -> ProcessTable.cmdline((int) p.pid()).startsWith(title + " "));
        return p;
    }

    private static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
