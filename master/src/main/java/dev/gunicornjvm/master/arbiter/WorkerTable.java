package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.posix.ExitStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The master's workers by pid, in spawn order, and the reaping of the ones that exited. */
final class WorkerTable {
    /** A worker that has exited, as reaped. */
    record Exit(WorkerRecord worker, ExitStatus status) {
    }

    private final Map<Integer, WorkerRecord> byPid = new LinkedHashMap<>();
    private long spawned;

    WorkerRecord add(int pid, int generation, long now, boolean standby) {
        WorkerRecord w = new WorkerRecord(pid, ++spawned, generation, now, standby);
        byPid.put(pid, w);
        return w;
    }

    Optional<WorkerRecord> get(int pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    Collection<WorkerRecord> all() {
        return Collections.unmodifiableCollection(byPid.values());
    }

    boolean isEmpty() {
        return byPid.isEmpty();
    }

    /** Workers not stopping that match, the recycling ones first, then the oldest first. */
    List<WorkerRecord> active(Predicate<WorkerRecord> which) {
        return byPid.values().stream()
                .filter(w -> w.state != WorkerState.STOPPING)
                .filter(which)
                .sorted(Comparator.comparing((WorkerRecord w) -> !w.recycle).thenComparingLong(w -> w.age))
                .toList();
    }

    /** Removes and returns the workers that have exited since the last call. */
    List<Exit> reap(Processes processes) {
        List<Exit> exits = new ArrayList<>();
        for (WorkerRecord w : List.copyOf(byPid.values())) {
            Optional<ExitStatus> status = processes.reap(w.pid);
            if (status.isPresent()) {
                byPid.remove(w.pid);
                exits.add(new Exit(w, status.get()));
            }
        }
        return exits;
    }

    void addGenerationsTo(Set<Integer> generations) {
        byPid.values().forEach(w -> generations.add(w.generation));
    }

    /** The workers as gunictl status shows them, oldest first. */
    List<MasterStatus.Worker> describe(long now) {
        return byPid.values().stream()
                .sorted(Comparator.comparingLong(w -> w.age))
                .map(w -> new MasterStatus.Worker(w.pid, w.generation,
                        TimeUnit.NANOSECONDS.toSeconds(now - w.spawnedNanos), w.state, w.standby, w.requests,
                        TimeUnit.NANOSECONDS.toMillis(now - w.lastHeartbeatNanos)))
                .toList();
    }
}
