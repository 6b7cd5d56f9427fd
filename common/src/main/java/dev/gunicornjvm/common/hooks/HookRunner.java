package dev.gunicornjvm.common.hooks;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs hooks so that none can stop the server: each call on a daemon thread of its own (a hung hook
 * holds nothing but its thread, and the next hook gets a new one), every {@link Throwable} caught and
 * logged as one line, and the caller waits at most the timeout. A hook that calls System.exit or halt is
 * not prevented (there is no SecurityManager on Java 25).
 */
public final class HookRunner {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    /** How a hook call ended, as far as the caller saw it. */
    public enum Outcome { DONE, FAILED, TIMED_OUT, NOT_WAITED }

    /** A hook call; it may throw anything. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    private final long timeoutMillis;

    public HookRunner(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** Runs the hook and waits for it at most the timeout. */
    public Outcome run(String event, Call call) {
        return run(event, call, timeoutMillis);
    }

    /**
     * Runs the hook on a thread of its own and waits for it at most {@code waitMillis} (0: not at all).
     * A hook still running then is left to itself, and logged.
     */
    public Outcome run(String event, Call call, long waitMillis) {
        Outcome[] outcome = {Outcome.DONE};
        Thread thread = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable t) { // an Error too: a hook must never take the server down
                outcome[0] = Outcome.FAILED;
                LOG.error("Hook {} failed: {}", event, describe(t));
            }
        }, "hook-" + event);
        thread.setDaemon(true);
        thread.start();
        if (waitMillis <= 0) {
            return Outcome.NOT_WAITED;
        }
        try {
            thread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.NOT_WAITED;
        }
        if (thread.isAlive()) {
            LOG.error("Hook {} did not return within {} ms (--hook-timeout); going on without it", event, waitMillis);
            return Outcome.TIMED_OUT;
        }
        return outcome[0]; // join() made the thread's write visible
    }

    /** An exception as one line: what it is, and where the hook threw it. */
    public static String describe(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        String where = trace.length == 0 ? "" : " (at " + trace[0] + ")";
        return (t.toString() + where).replaceAll("\\s*\\R\\s*", " ");
    }
}
