package dev.gunicornjvm.ctl.wait;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.control.MasterStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads a master's worker table the way gunictl's waits need it. */
public final class Workers {
    private Workers() {
    }

    /** Workers of the master's current generation that accept connections. */
    public static long readyOfCurrent(MasterStatus s) {
        return s.workers().stream().filter(w -> w.generation() == s.generation() && w.state() == WorkerState.READY).count();
    }

    /**
     * Exactly {@code n} workers, all of the current generation and ready, nothing booting or draining,
     * and no standby but the current generation's (booting or parked: they never serve until promoted).
     */
    public static boolean settledAt(MasterStatus s, int n) {
        boolean oldStandby = s.workers().stream().anyMatch(w -> w.standby() && w.generation() != s.generation());
        return !oldStandby && withoutStandbys(s) == n && readyOfCurrent(s) == n;
    }

    /** Its target number of workers are ready, and nothing else runs. */
    public static boolean settled(MasterStatus s) {
        return s.targetWorkers() >= 1 && settledAt(s, s.targetWorkers());
    }

    /** Workers that are not standbys: the ones serving, booting to serve, or draining. */
    public static int withoutStandbys(MasterStatus s) {
        return (int) s.workers().stream().filter(w -> !w.standby()).count();
    }

    public static boolean anyOlderGeneration(MasterStatus s) {
        return s.workers().stream().anyMatch(w -> w.generation() != s.generation());
    }

    /** "1 worker", "3 workers". */
    public static String count(long n) {
        return n + (n == 1 ? " worker" : " workers");
    }

    /**
     * E.g. "1 ready, 1 booting (generation 3); 1 stopping (generation 2); target 2", and with --standby
     * "2 ready, 1 standby (generation 1); target 2 + 1 standby" (a standby still booting counts as
     * booting): generations newest first, states in their order. Loops, not streams: gunictl status
     * prints this, and a stream pipeline's first use costs it more than the rest of the line.
     */
    public static String summary(MasterStatus s) {
        String target = "target " + s.targetWorkers() + (s.targetStandby() > 0 ? " + " + s.targetStandby() + " standby" : "");
        if (s.workers().isEmpty()) {
            return "no workers; " + target;
        }
        List<Integer> generations = new ArrayList<>();
        for (MasterStatus.Worker w : s.workers()) {
            if (!generations.contains(w.generation())) {
                generations.add(w.generation());
            }
        }
        generations.sort(Comparator.reverseOrder());
        WorkerState[] states = WorkerState.values();
        StringBuilder b = new StringBuilder();
        for (int generation : generations) {
            long[] counts = new long[states.length];
            for (MasterStatus.Worker w : s.workers()) {
                if (w.generation() == generation) {
                    counts[w.state().ordinal()]++;
                }
            }
            if (b.length() > 0) {
                b.append("; ");
            }
            String sep = "";
            for (WorkerState state : states) {
                if (counts[state.ordinal()] > 0) {
                    b.append(sep).append(counts[state.ordinal()]).append(' ').append(state);
                    sep = ", ";
                }
            }
            b.append(" (generation ").append(generation).append(')');
        }
        return b.append("; ").append(target).toString();
    }
}
