package dev.gunicornjvm.master.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.common.signals.Signal;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arbiter's everyday sequences, with fake processes and time: boot, respawn, reload, stop. */
class ArbiterSequencesTest extends ArbiterTestBase {
    @Test
    void startsTheWorkersAndReplacesOneThatDies() throws IOException {
        List<Integer> first = boot("-w", "2", "-t", "0"); // no heartbeats here: no timeout either
        assertEquals(2, first.size());
        h.advance(60); // long after the crash window
        h.processes.killedBy(first.get(0), 9);
        h.settle();
        assertEquals(3, h.processes.spawned.size(), "a replacement at once: no crash loop");
        assertTrue(h.processes.signalsTo(first.get(1)).isEmpty(), "the other worker is left alone");
    }

    @Test
    void aReloadRetiresTheOldGenerationOnlyOnceTheNewOneAccepts() throws IOException {
        List<Integer> old = boot("-w", "2");
        h.configuration.set(ArbiterHarness.settings("-w", "3"));
        h.signal(Signal.HUP);
        List<Integer> fresh = h.processes.spawnedOf(2);
        assertEquals(3, fresh.size(), "the new generation has the new count");
        assertTrue(old.stream().allMatch(pid -> h.processes.signalsTo(pid).isEmpty()), "the old one serves on");
        assertEquals(false, h.status().lastReload().done());

        h.processes.ready(fresh.get(0));
        h.processes.ready(fresh.get(1));
        h.settle();
        assertTrue(old.stream().allMatch(pid -> h.processes.signalsTo(pid).isEmpty()), "2 of 3 is not enough");

        h.allReady(List.of(fresh.get(2)));
        for (int pid : old) {
            assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(pid), "retired gracefully");
        }
        MasterStatus.Reload reload = h.status().lastReload();
        assertTrue(reload.done() && reload.ok(), reload.toString());
        assertEquals(2, reload.generation());
    }

    @Test
    void aReloadWhoseWorkersCannotBootIsAbandonedAndTheOldGenerationServesOn() throws IOException {
        List<Integer> old = boot("-w", "2");
        h.configuration.set(ArbiterHarness.settings("-w", "4"));
        h.signal(Signal.HUP);
        int broken = h.processes.spawnedOf(2).get(0);
        h.processes.say(broken, new WorkerMessage.BootFailed(ExitCodes.APP_LOAD_ERROR, "class not found"));
        h.processes.exit(broken, ExitCodes.APP_LOAD_ERROR);
        h.settle();

        assertFalse(h.stopped(), "a bad reload never stops the master");
        MasterStatus status = h.status();
        assertEquals(1, status.generation(), "generation 1 is current again");
        assertEquals(2, status.targetWorkers(), "with its own count");
        assertFalse(status.lastReload().ok());
        assertTrue(status.lastReload().message().contains("class not found"), status.lastReload().message());
        assertTrue(old.stream().allMatch(pid -> h.processes.signalsTo(pid).isEmpty()), "the old workers were not touched");
        for (int pid : h.processes.spawnedOf(2).subList(1, 4)) {
            assertEquals(List.of(Signal.TERM.number()), h.processes.signalsTo(pid), "the new ones are stopped");
        }
    }

    @Test
    void aHupDuringAReloadReloadsOnceMoreWhenItEnds() throws IOException {
        boot("-w", "1");
        h.signal(Signal.HUP);
        h.signal(Signal.HUP);
        h.signal(Signal.HUP);
        assertEquals(1, h.processes.spawnedOf(2).size(), "one generation at a time");
        h.allReady(h.processes.spawnedOf(2));
        assertEquals(1, h.processes.spawnedOf(3).size(), "the HUPs that came meanwhile make one more");
        assertTrue(h.processes.spawnedOf(4).isEmpty());
    }

    @Test
    void aWorkerThatCannotBootAtStartUpStopsTheMaster() throws IOException {
        h = new ArbiterHarness(dir, 0, "-w", "2");
        h.settle();
        int first = h.processes.spawned.get(0);
        h.processes.exit(first, ExitCodes.APP_LOAD_ERROR);
        for (int i = 0; i < 10 && !h.stopped(); i++) {
            h.pass();
        }
        assertTrue(h.stopped(), "Gunicorn's 'App failed to load.'");
        assertEquals(List.of(Signal.TERM.number()), h.processes.signalsTo(h.processes.spawned.get(1)));
    }

    @Test
    void quitStopsGracefullyAndTermQuickly() throws IOException {
        List<Integer> workers = boot("-w", "2");
        h.processes.obedient = false;
        h.signal(Signal.QUIT);
        workers.forEach(pid -> assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(pid)));
        h.signal(Signal.TERM);
        workers.forEach(pid -> assertEquals(List.of(Signal.QUIT.number(), Signal.TERM.number()),
                h.processes.signalsTo(pid), "a second stop may only be quicker"));
        h.advance(2); // past the quick stop's second
        workers.forEach(pid -> assertEquals(Signal.KILL_NUMBER, h.processes.signalsTo(pid).get(2)));
        workers.forEach(pid -> h.processes.killedBy(pid, 9));
        h.settle();
        assertTrue(h.stopped());
    }

    @Test
    void ttinAndTtouChangeTheCountButNeverBelowOne() throws IOException {
        List<Integer> workers = boot("-w", "1");
        h.signal(Signal.TTIN);
        assertEquals(2, h.processes.spawned.size());
        h.allReady(List.of(h.processes.spawned.get(1)));
        h.signal(Signal.TTOU);
        assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(workers.get(0)), "the oldest goes");
        h.signal(Signal.TTOU);
        assertEquals(1, h.status().targetWorkers());
        assertEquals(WorkerState.READY, h.status().workers().get(0).state());
    }

    @Test
    void aRecyclingWorkerIsReplacedBeforeItIsRetired() throws IOException {
        List<Integer> workers = boot("-w", "1");
        h.processes.say(workers.get(0), new WorkerMessage.Recycle(1000));
        h.settle();
        assertEquals(2, h.processes.spawned.size(), "its replacement first");
        assertTrue(h.processes.signalsTo(workers.get(0)).isEmpty(), "it serves until then");
        h.allReady(List.of(h.processes.spawned.get(1)));
        assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(workers.get(0)));
    }
}
