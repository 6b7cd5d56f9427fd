package dev.gunicornjvm.master.metrics;

import java.util.concurrent.TimeUnit;

/**
 * The answers of /health/live and /health/ready, from the latest snapshot and the time now: the HTTP
 * thread decides nothing else. Live means the master's loop still turns: it publishes a snapshot on
 * every pass (at least every 200 ms), so one older than {@link #LOOP_SILENCE_NANOS} means a stuck loop.
 */
public final class Health {
    /** Far more than a pass takes, even one that stages a WAR for a reload. */
    public static final long LOOP_SILENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** An HTTP status and a one-line body. */
    public record Answer(int status, String body) {
    }

    private Health() {
    }

    public static Answer live(MetricsSnapshot s, long nowNanos) {
        long age = nowNanos - s.nanos();
        String ago = String.format(java.util.Locale.ROOT, "%.1f s ago", age / 1e9);
        return age <= LOOP_SILENCE_NANOS ? new Answer(200, "live: the master's loop ran " + ago)
                : new Answer(503, "not live: the master's loop last ran " + ago);
    }

    public static Answer ready(MetricsSnapshot s, long nowNanos) {
        Answer live = live(s, nowNanos);
        if (live.status() != 200) {
            return new Answer(503, "not ready: " + live.body());
        }
        return new Answer(s.readiness().ready() ? 200 : 503, s.readiness().why());
    }
}
