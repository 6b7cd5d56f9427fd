package dev.gunicornjvm.ctl.support;

/**
 * Why a command could not do what it was asked, as one line for people and an {@link ExitCode} for
 * scripts. Every failure ends up as one of these, so each command prints and exits the same way.
 */
public class GunictlException extends Exception {
    private final int exitCode;

    public GunictlException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static GunictlException failed(String message) {
        return new GunictlException(ExitCode.FAILED, message);
    }

    public static GunictlException usage(String message) {
        return new GunictlException(ExitCode.USAGE, message);
    }

    public static GunictlException noMaster(String message) {
        return new GunictlException(ExitCode.NO_MASTER, message);
    }

    public static GunictlException unreachable(String message) {
        return new GunictlException(ExitCode.UNREACHABLE, message);
    }
}
