package dev.gunicornjvm.master.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.signals.Signal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Faults the master survives: failed spawns, faulty workers, crash loops, errors in its own passes. */
class ArbiterFaultsTest extends ArbiterTestBase {
    @Test
    void aSpawnThatFailsAfterTheMasterServedIsRetriedLaterAndTheWorkersServeOn() throws IOException {
        List<Integer> workers = boot("-w", "2", "-t", "0");
        h.advance(60); // workers up long before the failures: they prove nothing about new spawns
        int booted = h.processes.attempts;
        h.processes.spawnFailure = new IOException("cannot start worker: pipe2: Too many open files");
        h.signal(Signal.TTIN);
        assertFalse(h.stopped(), "the master lives");
        assertTrue(workers.stream().allMatch(pid -> h.processes.signalsTo(pid).isEmpty()), "its workers are untouched");
        assertEquals(booted + 1, h.processes.attempts);
        for (int wait : new int[] {1, 2, 4, 8}) {
            int attempts = h.processes.attempts;
            h.advance(wait - 1);
            assertEquals(attempts, h.processes.attempts, "no retry before the back-off of " + wait + " s ends");
            h.advance(1);
            assertEquals(attempts + 1, h.processes.attempts, "one retry when it does");
        }
        h.processes.spawnFailure = null;
        h.advance(16);
        assertEquals(3, h.processes.spawned.size(), "the third worker, once spawning works again");
    }

    @Test
    void aSpawnThatFailsAtTheFirstStartStopsTheMaster() throws IOException {
        h = new ArbiterHarness(dir, 0, "-w", "3");
        h.processes.spawnFailure = new IOException("cannot start worker: posix_spawn: Resource temporarily unavailable");
        h.settle();
        assertTrue(h.stopped());
        assertTrue(h.processes.spawned.isEmpty());
        assertEquals(1, h.processes.attempts, "the spawn loop stopped at the first failure");
    }

    @Test
    void aSpawnThatFailsDuringAReloadAbandonsItAndTheOldGenerationServes() throws IOException {
        List<Integer> old = boot("-w", "2");
        h.files.ensureFailure = new IOException("cannot make generation 2's files again: No space left on device");
        h.signal(Signal.HUP);
        assertFalse(h.stopped());
        assertEquals(1, h.status().generation());
        assertFalse(h.status().lastReload().ok());
        assertTrue(old.stream().allMatch(pid -> h.processes.signalsTo(pid).isEmpty()));
    }

    @Test
    void filesThatCannotBeMadeAgainAreRetriedOnlyBySpawnsUnderTheirBackOff() throws IOException {
        List<Integer> workers = boot("-w", "1", "-t", "0"); // no heartbeats here: no timeout either
        h.files.ensureFailure = new IOException("cannot copy the --preload snapshot again: it was removed");
        h.advance(60);
        int tries = h.files.ensureCalls;
        for (int i = 0; i < 20; i++) {
            h.pass();
        }
        assertEquals(tries, h.files.ensureCalls, "no retry on every pass while nothing needs spawning");

        h.processes.killedBy(workers.get(0), 9);
        h.settle();
        int afterSpawn = h.files.ensureCalls;
        assertTrue(afterSpawn > tries, "the spawn tried");
        for (int i = 0; i < 20; i++) {
            h.pass();
        }
        assertEquals(afterSpawn, h.files.ensureCalls, "backing off: no try before its delay");
        h.files.ensureFailure = null;
        h.advance(2);
        assertEquals(2, h.processes.spawned.size(), "the files are back: a worker again");
    }

    @Test
    void aReloadThatFailsAfterOpeningANewListenerClosesIt() throws Exception {
        boot("-w", "1");
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        h.configuration.set(ArbiterHarness.settings("-w", "1", "-b", "127.0.0.1:" + port));
        h.files.createFailure = new IOException("cannot unpack app.war: truncated zip");
        h.signal(Signal.HUP);
        assertFalse(h.status().lastReload().ok());
        assertTrue(h.status().lastReload().message().contains("truncated zip"));
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            throw new AssertionError("port " + port + " is still bound without an acceptor");
        } catch (java.net.ConnectException expected) {
            // refused: the reload closed what it opened
        }
        assertEquals(1, h.listeners.bound().size(), "only the running generation's listener");
    }

    @Test
    void aWorkerThatWritesGarbageIsRetiredAndReplacedAfterABackOff() throws IOException {
        List<Integer> workers = boot("-w", "2");
        h.processes.faulty(workers.get(0), "a status line longer than 4096 bytes");
        h.settle();
        assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(workers.get(0)));
        assertEquals(2, h.processes.spawned.size(), "not at once: a loop of faulty workers backs off");
        h.advance(1);
        assertEquals(3, h.processes.spawned.size());
        assertTrue(h.processes.signalsTo(workers.get(1)).isEmpty());
    }

    @Test
    void aCrashLoopBacksOffDoublingAndEndsWhenWorkersStayUp() throws IOException {
        boot("-w", "1");
        long[] waits = {1, 2};
        for (int round = 0; round < 3; round++) {
            dieRightAfterAccepting(h.processes.spawned.get(h.processes.spawned.size() - 1));
            int before = h.processes.spawned.size();
            if (round < 2) {
                h.advance(waits[round] - 1);
                assertEquals(before, h.processes.spawned.size(), "no worker before the back-off ends");
                h.advance(1);
                assertEquals(before + 1, h.processes.spawned.size(), "and one when it does");
            }
        }
        int before = h.processes.spawned.size();
        h.advance(3);
        assertEquals(before, h.processes.spawned.size(), "the third failure in a row waits 4 s");
        h.advance(1);
        assertEquals(before + 1, h.processes.spawned.size());
        int survivor = h.processes.spawned.get(before);
        h.processes.ready(survivor);
        h.settle();
        h.advance(11);
        h.processes.exit(survivor, 1); // after the crash window: no crash
        h.settle();
        assertEquals(before + 2, h.processes.spawned.size(), "replaced at once");
    }

    private void dieRightAfterAccepting(int pid) {
        h.processes.ready(pid);
        h.settle();
        h.processes.exit(pid, 1);
        h.settle();
    }

    @Test
    void aSilentWorkerIsKilledAfterItsThreadDump() throws IOException {
        List<Integer> workers = boot("-w", "1", "-t", "5");
        h.processes.obedient = false;
        h.advance(3);
        h.processes.say(workers.get(0), new WorkerMessage.Heartbeat(7));
        h.settle();
        h.advance(4);
        assertTrue(h.processes.dumps.isEmpty(), "a heartbeat 4 s ago is in time");
        h.advance(2);
        assertEquals(List.of(workers.get(0)), h.processes.dumps);
        assertEquals(List.of(Signal.KILL_NUMBER), h.processes.signalsTo(workers.get(0)));
    }

    @Test
    void anErrorInOnePassDoesNotStopTheMaster() throws IOException {
        List<Integer> workers = boot("-w", "1");
        h.advance(11); // past the crash window: its exit is no crash
        h.processes.exit(workers.get(0), 0);
        h.processes.reapFailure = new IllegalStateException("waitpid: Interrupted system call");
        assertTrue(h.pass(), "the pass logs the error and the loop goes on");
        h.settle();
        assertEquals(2, h.processes.spawned.size(), "the next passes reap and respawn");
    }
}
