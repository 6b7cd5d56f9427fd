package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.common.signals.Signal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Processes that exist only in a table: spawns get pids from 100 up, signals are recorded, and a
 * process exits when the test says so (or, if obedient, when it gets QUIT, TERM or KILL).
 */
final class FakeProcesses implements Processes {
    record Sent(int pid, int signal) {
    }

    final List<Integer> spawned = new ArrayList<>();
    /** The spawned pids that were started as standbys. */
    final List<Integer> standbys = new ArrayList<>();
    /** The pids promoted (or tried), in order. */
    final List<Integer> promoted = new ArrayList<>();
    /** Pids whose lifeline is broken: a promotion fails. */
    final java.util.Set<Integer> brokenLifelines = new java.util.HashSet<>();
    /** Spawns asked for, failed or not. */
    int attempts;
    final List<Sent> sent = new ArrayList<>();
    final List<Integer> dumps = new ArrayList<>();
    private final Map<Integer, Integer> generationOf = new LinkedHashMap<>();
    private final Map<Integer, Consumer<Event>> pipes = new HashMap<>();
    private final Map<Integer, ExitStatus> exited = new HashMap<>();
    private int nextPid = 100;
    /** When set, the next spawns fail with it (EMFILE and the like). */
    IOException spawnFailure;
    /** When set, the next reap throws it, once: a bug or an unexpected errno. */
    RuntimeException reapFailure;
    /** Workers exit when told to stop, as real ones do. */
    boolean obedient = true;

    @Override
    public int spawnWorker(Generation generation, boolean standby, Consumer<Event> events) throws IOException {
        attempts++;
        if (spawnFailure != null) {
            throw spawnFailure;
        }
        int pid = nextPid++;
        spawned.add(pid);
        if (standby) {
            standbys.add(pid);
        }
        generationOf.put(pid, generation.number());
        pipes.put(pid, events);
        return pid;
    }

    @Override
    public boolean promote(int pid) {
        promoted.add(pid);
        return !brokenLifelines.contains(pid);
    }

    @Override
    public boolean signal(int pid, int signal) {
        sent.add(new Sent(pid, signal));
        if (obedient && (signal == Signal.QUIT.number() || signal == Signal.TERM.number()
                || signal == Signal.KILL_NUMBER)) {
            exited.putIfAbsent(pid, signal == Signal.KILL_NUMBER ? new ExitStatus(0, 9) : new ExitStatus(0, 0));
        }
        return true;
    }

    @Override
    public Optional<ExitStatus> reap(int pid) {
        if (reapFailure != null) {
            RuntimeException e = reapFailure;
            reapFailure = null;
            throw e;
        }
        return Optional.ofNullable(exited.remove(pid));
    }

    @Override
    public void threadDump(int pid, Consumer<String> done) {
        dumps.add(pid);
        done.accept("\"main\" #1 prio=5 (a fake dump)");
    }

    /** The worker says something on its status pipe. */
    void say(int pid, WorkerMessage message) {
        pipes.get(pid).accept(new Event.WorkerSaid(pid, message));
    }

    void ready(int pid) {
        say(pid, new WorkerMessage.Ready());
    }

    void exit(int pid, int code) {
        exited.put(pid, new ExitStatus(code, 0));
    }

    void killedBy(int pid, int signal) {
        exited.put(pid, new ExitStatus(0, signal));
    }

    void faulty(int pid, String why) {
        pipes.get(pid).accept(new Event.WorkerFaulty(pid, why));
    }

    /** Signals sent to this pid, in order. */
    List<Integer> signalsTo(int pid) {
        return sent.stream().filter(s -> s.pid() == pid).map(Sent::signal).toList();
    }

    int generationOf(int pid) {
        return generationOf.get(pid);
    }

    List<Integer> spawnedOf(int generation) {
        return spawned.stream().filter(pid -> generationOf.get(pid) == generation).toList();
    }
}
