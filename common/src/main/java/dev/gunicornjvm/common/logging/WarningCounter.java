package dev.gunicornjvm.common.logging;

import java.util.function.Consumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * An appender that writes nothing: it tells {@link Logging}'s listener the Gunicorn level of each event at
 * WARNING or above (critical, exception for an error with a stack trace, error, warning), for the
 * StatsD counters Gunicorn keeps of its log lines.
 */
final class WarningCounter extends AbstractAppender {
    static final String NAME = "gunicorn-warning-counter";

    private final Consumer<String> listener;

    WarningCounter(Consumer<String> listener) {
        super(NAME, null, null, true, Property.EMPTY_ARRAY);
        this.listener = listener;
    }

    @Override
    public void append(LogEvent event) {
        String level = gunicornLevel(event.getLevel(), event.getThrown() != null);
        if (level != null) {
            listener.accept(level);
        }
    }

    /** Gunicorn's name for what it counts at this level, or null below WARNING. */
    static String gunicornLevel(Level level, boolean withThrowable) {
        if (level.isMoreSpecificThan(Level.FATAL)) {
            return "critical";
        }
        if (level.isMoreSpecificThan(Level.ERROR)) {
            return withThrowable ? "exception" : "error";
        }
        return level.isMoreSpecificThan(Level.WARN) ? "warning" : null;
    }
}
