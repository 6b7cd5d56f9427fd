package dev.gunicornjvm.master.metrics;

import java.util.List;

/**
 * The master's own state at the end of a pass of its loop, as much as the metrics and health answers
 * need: copied by the loop, so the HTTP threads never touch the loop's objects.
 *
 * @param nanos      the loop's clock when it was taken
 * @param stopping   a shutdown is under way
 * @param generation the current generation: the newest, the one the master wants serving
 * @param target     how many workers the current generation should have (0 after WINCH)
 */
public record MasterView(long nanos, boolean stopping, int generation, int target, List<WorkerView> workers) {
    public MasterView {
        workers = List.copyOf(workers);
    }

    /** Workers of the current generation that accept connections. */
    public long readyOfCurrent() {
        return workers.stream().filter(w -> w.generation() == generation && !w.standby()
                && w.state() == dev.gunicornjvm.common.control.WorkerState.READY).count();
    }
}
