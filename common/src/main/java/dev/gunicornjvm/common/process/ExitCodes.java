package dev.gunicornjvm.common.process;

/** Exit codes of master and workers, documented in docs/signals.md. Gunicorn's where it has them. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Runtime failure of the master: address in use, cannot write pidfile, ... */
    public static final int ERROR = 1;
    /** Bad command line or configuration (picocli's usage-error code). */
    public static final int USAGE = 2;
    /** A worker could not boot (Gunicorn's WORKER_BOOT_ERROR). */
    public static final int WORKER_BOOT_ERROR = 3;
    /** The app could not be loaded: class missing, not a Servlet, failed in init (Gunicorn's APP_LOAD_ERROR). */
    public static final int APP_LOAD_ERROR = 4;

    private ExitCodes() {
    }
}
