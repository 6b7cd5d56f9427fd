package dev.gunicornjvm.hooks;

/**
 * A worker.
 *
 * @param pid        its pid; 0 in {@link ServerHooks#preFork} (not started yet)
 * @param generation the generation it serves (1 at start, one more per reload)
 * @param age        its place in the master's spawn order (1 for the first worker ever); 0 in the
 *                   worker's own hooks, which do not know it
 */
public record WorkerInfo(long pid, int generation, long age) {
}
