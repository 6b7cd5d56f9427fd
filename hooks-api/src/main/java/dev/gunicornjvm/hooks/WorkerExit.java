package dev.gunicornjvm.hooks;

/**
 * How a worker process ended.
 *
 * @param code   its exit code, or -1 when a signal killed it
 * @param signal the signal that killed it, or 0
 */
public record WorkerExit(int code, int signal) {
}
