package dev.gunicornjvm.master.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.signals.Signal;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --standby: booted workers kept beside the serving ones, promoted when capacity is needed. */
class ArbiterStandbyTest extends ArbiterTestBase {
    /** Boots the workers, then the standbys they make room for; returns the parked standbys' pids. */
    private List<Integer> bootWithStandbys(String... args) throws IOException {
        List<Integer> workers = boot(args);
        List<Integer> standbys = h.processes.standbys.stream().filter(pid -> !workers.contains(pid)).toList();
        standbys.forEach(pid -> h.processes.say(pid, new WorkerMessage.Standby()));
        h.settle();
        return standbys;
    }

    private WorkerState stateOf(int pid) {
        return h.status().workers().stream().filter(w -> w.pid() == pid).findFirst().orElseThrow().state();
    }

    @Test
    void standbysBootOnlyOnceTheWorkersServe() throws IOException {
        h = new ArbiterHarness(dir, 0, "-w", "2", "--standby", "1");
        h.settle();
        assertEquals(2, h.processes.spawned.size(), "the workers first");
        assertTrue(h.processes.standbys.isEmpty());
        h.allReady(List.copyOf(h.processes.spawned));
        assertEquals(1, h.processes.standbys.size(), "then the standby");
        int standby = h.processes.standbys.get(0);
        assertEquals(WorkerState.BOOTING, stateOf(standby));
        h.processes.say(standby, new WorkerMessage.Standby());
        h.settle();
        MasterStatus status = h.status();
        assertEquals(WorkerState.STANDBY, stateOf(standby));
        assertEquals(1, status.targetStandby());
        assertTrue(status.workers().stream().filter(w -> w.pid() == standby).allMatch(MasterStatus.Worker::standby));
    }

    @Test
    void ttinPromotesTheStandbyAndBootsAnotherOnceItAccepts() throws IOException {
        int standby = bootWithStandbys("-w", "2", "--standby", "1").get(0);
        int spawnedBefore = h.processes.spawned.size();
        h.signal(Signal.TTIN);
        assertEquals(List.of(standby), h.processes.promoted, "one message to the standby, no spawn");
        assertEquals(spawnedBefore, h.processes.spawned.size());
        assertEquals(WorkerState.BOOTING, stateOf(standby), "a worker now, until it says it accepts");

        h.allReady(List.of(standby));
        assertEquals(spawnedBefore + 1, h.processes.spawned.size(), "a new standby boots in the background");
        assertTrue(h.processes.standbys.contains(h.processes.spawned.get(spawnedBefore)));
        assertEquals(3, h.status().workers().stream().filter(w -> !w.standby() && w.state() == WorkerState.READY).count());
    }

    @Test
    void aWorkerKilledIsReplacedByTheStandbyAtOnce() throws IOException {
        int standby = bootWithStandbys("-w", "2", "--standby", "1", "-t", "0").get(0);
        int victim = h.processes.spawned.get(0);
        h.advance(60);
        h.processes.killedBy(victim, 9);
        h.settle();
        assertEquals(List.of(standby), h.processes.promoted);
        assertFalse(h.processes.spawned.stream().anyMatch(pid -> !h.processes.standbys.contains(pid)
                && pid > standby), "no worker spawned: the standby took its place");
    }

    @Test
    void aRecycledWorkerIsReplacedByTheStandby() throws IOException {
        int standby = bootWithStandbys("-w", "1", "--standby", "1", "--max-requests", "10").get(0);
        int worker = h.processes.spawned.get(0);
        h.processes.say(worker, new WorkerMessage.Recycle(10));
        h.settle();
        assertEquals(List.of(standby), h.processes.promoted);
        assertTrue(h.processes.signalsTo(worker).isEmpty(), "serves on until its replacement accepts");
        h.allReady(List.of(standby));
        assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(worker));
    }

    @Test
    void aStandbyThatDiesIsReplaced() throws IOException {
        int standby = bootWithStandbys("-w", "1", "--standby", "1").get(0);
        h.processes.killedBy(standby, 9);
        h.settle();
        assertEquals(2, h.processes.standbys.size(), "a new standby");
        assertTrue(h.processes.promoted.isEmpty());
    }

    @Test
    void aStandbyWhoseLifelineIsBrokenIsNotCountedAndAWorkerIsSpawned() throws IOException {
        int standby = bootWithStandbys("-w", "1", "--standby", "1").get(0);
        h.processes.brokenLifelines.add(standby);
        h.signal(Signal.TTIN);
        assertEquals(List.of(standby), h.processes.promoted);
        assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(standby), "retired: it cannot be promoted");
        assertFalse(h.processes.standbys.contains(h.processes.spawned.get(h.processes.spawned.size() - 1)),
                "a worker is spawned instead");
    }

    @Test
    void ttouRetiresWorkersAndKeepsTheStandby() throws IOException {
        int standby = bootWithStandbys("-w", "2", "--standby", "1").get(0);
        h.signal(Signal.TTOU);
        assertTrue(h.processes.signalsTo(standby).isEmpty(), "the standby is not in excess of --standby");
        assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(h.processes.spawned.get(0)));
    }

    @Test
    void aHupRetiresTheOldStandbysAndBuildsNewOnesAfterTheNewWorkersServe() throws IOException {
        int standby = bootWithStandbys("-w", "1", "--standby", "1").get(0);
        h.configuration.set(ArbiterHarness.settings("-w", "1", "--standby", "2"));
        h.signal(Signal.HUP);
        List<Integer> fresh = h.processes.spawnedOf(2);
        assertEquals(1, fresh.size(), "the new worker only: its standbys come once it serves");
        assertTrue(h.processes.promoted.isEmpty(), "an old generation's standby is never promoted into the new one");
        h.allReady(fresh);
        assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(standby), "retired with its generation");
        assertEquals(3, h.processes.spawnedOf(2).size(), "two new standbys");
        assertEquals(2, h.processes.standbys.stream().filter(pid -> h.processes.generationOf(pid) == 2).count());
    }

    @Test
    void stopsTheStandbysWithTheWorkers() throws IOException {
        int standby = bootWithStandbys("-w", "1", "--standby", "1").get(0);
        h.signal(Signal.QUIT);
        assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(standby));
        h.settle();
        assertTrue(h.stopped());
    }

    @Test
    void aPromotedStandbyGetsItsOwnBootTimeout() throws IOException {
        int standby = bootWithStandbys("-w", "1", "--standby", "1", "--boot-timeout", "5", "-t", "0").get(0);
        h.advance(60); // the standby was spawned long before it is promoted
        h.signal(Signal.TTIN);
        h.advance(1);
        assertTrue(h.processes.dumps.isEmpty(), "1 s after its promotion: within --boot-timeout");
        h.advance(5);
        assertEquals(List.of(standby), h.processes.dumps, "a promoted standby that never accepts is killed");
    }

    @Test
    void winchAfterAnUpgradeStopsTheStandbyAndHupBuildsOneAgain() throws IOException {
        java.nio.file.Path pidFile = dir.resolve("app.pid");
        java.nio.file.Files.writeString(pidFile, ArbiterHarness.PID + "\n");
        int standby = bootWithStandbys("-w", "1", "--standby", "1", "-p", pidFile.toString()).get(0);
        h.signal(Signal.USR2); // an old master obeys WINCH
        h.signal(Signal.WINCH);
        assertEquals(List.of(Signal.QUIT.number()), h.processes.signalsTo(standby), "stopped like the workers");
        int spawned = h.processes.spawned.size();
        h.signal(Signal.HUP); // the revert: workers again
        h.allReady(h.processes.spawned.subList(spawned, h.processes.spawned.size()));
        assertEquals(2, h.processes.standbys.size(), "a new standby once the workers serve again");
    }
}
