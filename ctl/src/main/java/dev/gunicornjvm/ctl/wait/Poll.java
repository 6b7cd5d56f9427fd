package dev.gunicornjvm.ctl.wait;

import dev.gunicornjvm.ctl.support.GunictlException;
import java.time.Duration;

/**
 * Waiting by polling a condition until a deadline, never by fixed sleeps. A condition that is not met
 * yet says how things stand, so that a timeout can tell the user what it last saw.
 */
public final class Poll {
    /** Often enough to notice a change promptly, rarely enough to cost the master nothing. */
    static final Duration INTERVAL = Duration.ofMillis(100);

    private Poll() {
    }

    /** What one look at the condition found: done with a value, or not yet with the state seen now. */
    public record Result<T>(T value, String now) {
        public boolean done() {
            return now == null;
        }
    }

    public static <T> Result<T> done(T value) {
        return new Result<>(value, null);
    }

    public static <T> Result<T> notYet(String now) {
        return new Result<>(null, now == null ? "" : now);
    }

    @FunctionalInterface
    public interface Check<T> {
        /** Looks once; throws to fail at once (e.g. the master is gone). */
        Result<T> look() throws GunictlException;
    }

    /** Polls until the check is done; fails with "timed out ... waiting for WHAT (now: ...)" at the deadline. */
    public static <T> T until(String what, Deadline deadline, Check<T> check) throws GunictlException {
        while (true) {
            Result<T> r = check.look();
            if (r.done()) {
                return r.value();
            }
            if (deadline.expired()) {
                throw GunictlException.failed("timed out after " + deadline.describe() + " waiting for " + what
                        + (r.now().isEmpty() ? "" : " (last seen: " + r.now() + ")"));
            }
            sleep(INTERVAL);
        }
    }

    static void sleep(Duration d) throws GunictlException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GunictlException.failed("interrupted");
        }
    }
}
