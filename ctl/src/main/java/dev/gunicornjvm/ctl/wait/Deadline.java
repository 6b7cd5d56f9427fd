package dev.gunicornjvm.ctl.wait;

import java.time.Duration;

/** When a command (or one step of it) gives up; every wait within that step shares the one deadline. */
public final class Deadline {
    private final Duration limit;
    private final long endNanos;

    private Deadline(Duration limit) {
        this.limit = limit;
        this.endNanos = System.nanoTime() + limit.toNanos();
    }

    public static Deadline after(Duration limit) {
        return new Deadline(limit);
    }

    public Duration limit() {
        return limit;
    }

    public boolean expired() {
        return System.nanoTime() - endNanos >= 0;
    }

    public Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** The time one request may take: what is left, but at least a moment so that a last try can answer. */
    public Duration forOneRequest(Duration cap) {
        Duration left = remaining();
        Duration floor = Duration.ofMillis(500);
        return left.compareTo(floor) < 0 ? floor : left.compareTo(cap) > 0 ? cap : left;
    }

    /** "60 s", for messages. */
    public String describe() {
        long millis = limit.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
