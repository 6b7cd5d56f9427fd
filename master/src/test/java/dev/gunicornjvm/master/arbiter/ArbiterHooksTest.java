package dev.gunicornjvm.master.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.master.hooks.RecordingHooks;
import dev.gunicornjvm.master.hooks.ThrowingConstructorHooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The master's hooks fire where the arbiter does the thing, in order, and none can stop it. */
class ArbiterHooksTest extends ArbiterTestBase {
    private Path events;

    @BeforeEach
    void record() {
        events = dir.resolve("events");
        System.setProperty(RecordingHooks.FILE, events.toString());
    }

    @AfterEach
    void forget() {
        System.clearProperty(RecordingHooks.FILE);
        System.clearProperty(RecordingHooks.FILE + ".hang");
    }

    private List<String> events() throws IOException {
        return Files.exists(events) ? Files.readAllLines(events) : List.of();
    }

    @Test
    void masterEventsFireInTheOrderTheMasterActs() throws IOException {
        List<Integer> pids = boot("-w", "2", "-t", "5", "--hooks", RecordingHooks.class.getName());
        assertEquals(List.of("pre_fork 1", "pre_fork 1", "when_ready 2"), events(), "nothing before it is ready");

        h.signal(Signal.TTIN);
        int added = h.processes.spawnedOf(1).get(2);
        h.processes.ready(added);
        h.processes.killedBy(pids.get(0), 9);
        h.settle();
        h.advance(2); // the crash back-off
        int replacement = h.processes.spawnedOf(1).get(3);
        h.processes.ready(replacement);
        h.settle();
        assertEquals(List.of("pre_fork 1", "pre_fork 1", "when_ready 2", "nworkers_changed 3 2", "pre_fork 1",
                "worker_exit " + pids.get(0) + " 0 9" /* the fake reports code 0 */, "child_exit " + pids.get(0) + " 1", "pre_fork 1"), events());

        // A worker silent past --timeout: worker_abort, whose hook throws; the master goes on.
        h.advance(2);
        h.processes.ready(added);
        h.processes.ready(replacement);
        h.advance(2);
        assertTrue(events().contains("worker_abort " + pids.get(1)), events().toString());
        assertTrue(h.processes.signalsTo(pids.get(1)).contains(9), "killed all the same");
        assertFalse(h.processes.signalsTo(added).contains(9));
    }

    @Test
    void aHangingHookIsAbandonedAtTheTimeoutAndTheNextHooksRun() throws IOException {
        boot("-w", "1", "--hook-timeout", "1", "--hooks", RecordingHooks.class.getName());
        System.setProperty(RecordingHooks.FILE + ".hang", "true");
        long start = System.nanoTime();
        h.signal(Signal.HUP); // on_reload hangs
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= 900 && tookMillis < 5000, "waited about --hook-timeout: " + tookMillis + " ms");
        assertTrue(events().contains("on_reload 2"), events().toString());
        assertTrue(events().contains("pre_fork 2"), "the next hook ran: " + events());
    }

    @Test
    void aReloadWhoseHooksCannotBeMadeIsRefusedAndTheOldWorkersServeOn() throws IOException {
        List<Integer> pids = boot("-w", "1", "--hooks", RecordingHooks.class.getName());
        h.configuration.set(ArbiterHarness.settings("-w", "1", "--hooks", ThrowingConstructorHooks.class.getName()));
        h.signal(Signal.HUP);
        assertEquals(List.of(), h.processes.spawnedOf(2), "no new generation");
        assertFalse(events().contains("on_reload 2"), events().toString());
        assertFalse(h.status().lastReload().ok());
        assertTrue(h.status().lastReload().message().contains("no hooks today"), h.status().lastReload().message());
        assertEquals(List.of(), h.processes.signalsTo(pids.get(0)), "the old worker serves on");
    }
}
