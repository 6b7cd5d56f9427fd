package dev.gunicornjvm.ctl.support;

/** gunictl's exit codes, documented in docs/gunictl.md; scripts depend on them, so they never change. */
public final class ExitCode {
    /** Done: what was asked has really happened. */
    public static final int OK = 0;
    /** The master refused, the change failed, or it did not happen within --timeout. */
    public static final int FAILED = 1;
    /** Bad command line or argument: unknown command or option, bad signal, foreign pid, scale below one. */
    public static final int USAGE = 2;
    /** No running master: the pidfile is missing, or names a pid that is not a gunicorn master. */
    public static final int NO_MASTER = 3;
    /** Not allowed, or cannot talk to the master: permission denied, control socket unreachable. */
    public static final int UNREACHABLE = 4;

    private ExitCode() {
    }
}
