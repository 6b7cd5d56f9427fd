package dev.gunicornjvm.master.app;

import java.io.IOException;

/** The app cannot be made ready for a generation's workers: a corrupt WAR, a webapp gone, the wrong Servlet API. */
public final class StagingException extends IOException {
    public StagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
