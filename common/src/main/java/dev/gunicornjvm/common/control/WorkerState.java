package dev.gunicornjvm.common.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a worker is in its life, as the master tracks it and gunictl shows it. */
public enum WorkerState {
    /** Started, not accepting yet. */
    BOOTING,
    /** Accepting connections. */
    READY,
    /**
     * A standby: booted, its app deployed and warmed up, but not accepting on the shared listeners
     * until the master promotes it (--standby).
     */
    STANDBY,
    /** Asked to stop (retired, recycled, or the master is stopping); finishing what it has. */
    STOPPING;

    /** The name on the wire and on screen: "booting", "ready", "standby", "stopping". */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static WorkerState ofWire(String text) {
        for (WorkerState s : values()) { // a loop, not a stream: gunictl reads one per worker
            if (s.wire().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown worker state: " + text);
    }

    @Override
    public String toString() {
        return wire();
    }
}
