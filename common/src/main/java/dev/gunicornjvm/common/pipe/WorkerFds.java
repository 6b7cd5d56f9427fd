package dev.gunicornjvm.common.pipe;

/**
 * Where a worker finds what its master gives it. Listeners come first from fd 3 on, in bind order
 * (the systemd LISTEN_FDS convention, also used to hand them to a new master on USR2); after them the
 * write end of the status pipe and the read end of the lifeline pipe, whose EOF tells the worker that
 * its master is gone. The master writes on the lifeline only to promote a standby worker: one line,
 * {@link #PROMOTE}.
 */
public final class WorkerFds {
    public static final int FIRST_LISTENER = 3;
    /** The system property ({@code -Dgunicorn.standby=true}) with which the master starts a standby. */
    public static final String STANDBY_PROPERTY = "gunicorn.standby";
    /** The line (without its newline) that tells a standby worker to start accepting. */
    public static final String PROMOTE = "promote";

    private WorkerFds() {
    }

    public static int statusPipe(int listenerCount) {
        return FIRST_LISTENER + listenerCount;
    }

    public static int lifelinePipe(int listenerCount) {
        return FIRST_LISTENER + listenerCount + 1;
    }
}
