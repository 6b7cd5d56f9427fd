package dev.gunicornjvm.ctl.wait;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.control.MasterStatus;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Reads a master's worker table the way gunictl's waits need it. */
public final class Workers {
    private Workers() {
    }

    /** Workers of the master's current generation that accept connections. */
    public static long readyOfCurrent(MasterStatus s) {
        return s.workers().stream().filter(w -> w.generation() == s.generation() && w.state() == WorkerState.READY).count();
    }

    /** Exactly {@code n} workers, all of the current generation and ready: nothing booting or draining. */
    public static boolean settledAt(MasterStatus s, int n) {
        return s.workers().size() == n && readyOfCurrent(s) == n;
    }

    /** Its target number of workers are ready, and nothing else runs. */
    public static boolean settled(MasterStatus s) {
        return s.targetWorkers() >= 1 && settledAt(s, s.targetWorkers());
    }

    public static boolean anyOlderGeneration(MasterStatus s) {
        return s.workers().stream().anyMatch(w -> w.generation() != s.generation());
    }

    /** "1 worker", "3 workers". */
    public static String count(long n) {
        return n + (n == 1 ? " worker" : " workers");
    }

    /** E.g. "1 ready, 1 booting (generation 3); 1 stopping (generation 2); target 2". */
    public static String summary(MasterStatus s) {
        if (s.workers().isEmpty()) {
            return "no workers; target " + s.targetWorkers();
        }
        Map<Integer, Map<WorkerState, Long>> byGeneration = new TreeMap<>(java.util.Comparator.reverseOrder());
        s.workers().forEach(w -> byGeneration.computeIfAbsent(w.generation(), g -> new TreeMap<>())
                .merge(w.state(), 1L, Long::sum));
        String parts = byGeneration.entrySet().stream()
                .map(g -> g.getValue().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")) + " (generation " + g.getKey() + ")")
                .collect(Collectors.joining("; "));
        return parts + "; target " + s.targetWorkers();
    }
}
