package dev.gunicornjvm.master.arbiter;

/**
 * The arbiter's monotonic time in nanoseconds. Every timeout, back-off and age is measured with it, so
 * that unit tests can step time instead of waiting for it.
 */
@FunctionalInterface
interface Clock {
    long nanos();

    static Clock system() {
        return System::nanoTime;
    }
}
