package dev.gunicornjvm.common.statsd;

/**
 * Where this process's metrics go, with Gunicorn's names ({@code gunicorn.requests}, ...): the prefix and
 * tags are the sink's business. Every call returns at once and never throws: metrics must not slow or
 * break serving.
 */
public interface StatsdSink {
    /** The sink of a process without --statsd-host. */
    StatsdSink NONE = new StatsdSink() {
        @Override
        public void increment(String name) {
        }

        @Override
        public void gauge(String name, long value) {
        }

        @Override
        public void timer(String name, long millis) {
        }

        @Override
        public void close() {
        }
    };

    /** Adds 1 to a counter ({@code |c}). */
    void increment(String name);

    /** Sets a gauge ({@code |g}). */
    void gauge(String name, long value);

    /** Records a duration in milliseconds ({@code |ms}). */
    void timer(String name, long millis);

    /** Sends what is queued, within a short wait, and lets the sink go. */
    void close();
}
