package dev.gunicornjvm.common.statsd;

import dev.gunicornjvm.common.logging.Logging;
import java.util.Objects;

/**
 * This process's StatsD sink, set up the way {@link Logging} is: once at start, again when a reload
 * changes the settings. With a target, every log line at WARNING or above also counts, as in Gunicorn:
 * {@code gunicorn.log.warning}, {@code .error}, {@code .exception} (an error with a stack trace) and
 * {@code .critical}. Without one, {@link #sink()} is a sink that does nothing, and the client's classes
 * are never loaded.
 */
public final class Statsd {
    private static volatile StatsdSink sink = StatsdSink.NONE;
    private static StatsdTarget target;

    private Statsd() {
    }

    /** Sends to this target from now on; null for nowhere. Nothing happens when it is the one in use. */
    public static synchronized void configure(StatsdTarget next) {
        if (Objects.equals(next, target)) {
            return;
        }
        StatsdSink old = sink;
        sink = next == null ? StatsdSink.NONE : DogStatsdSink.open(next);
        target = next;
        old.close();
        Logging.countWarnings(next == null ? null : level -> sink.increment("gunicorn.log." + level));
    }

    /** Where metrics go now. */
    public static StatsdSink sink() {
        return sink;
    }
}
