package dev.gunicornjvm.master.metrics;

import dev.gunicornjvm.common.control.WorkerState;

/** One worker as the master's loop saw it at the end of a pass. */
public record WorkerView(int pid, int generation, WorkerState state, boolean standby) {
}
