package dev.gunicornjvm.ctl.client;

import dev.gunicornjvm.ctl.support.GunictlException;

/**
 * A control request that got no useful answer. {@link #transientFailure()} tells a caller that polls the
 * master (while it starts, reloads or is busy) that asking again may well work.
 */
public final class ControlException extends GunictlException {
    private final boolean transientFailure;
    /** The master's error code ("busy", "invalid-argument", ...), or null when there was no answer. */
    private final String code;

    ControlException(int exitCode, String message, boolean transientFailure, String code) {
        super(exitCode, message);
        this.transientFailure = transientFailure;
        this.code = code;
    }

    public boolean transientFailure() {
        return transientFailure;
    }

    public String code() {
        return code;
    }
}
