package dev.gunicornjvm.common.hooks;

/**
 * What a worker needs to run the {@code --hooks} class's worker events (the class is on the app's
 * classpath, which the worker has already).
 *
 * @param className     the --hooks class
 * @param timeoutMillis --hook-timeout
 * @param generation    the worker's generation, for the hooks' WorkerInfo
 */
public record WorkerHookSettings(String className, long timeoutMillis, int generation) {
}
