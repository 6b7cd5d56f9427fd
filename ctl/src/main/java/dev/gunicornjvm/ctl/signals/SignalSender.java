package dev.gunicornjvm.ctl.signals;

import dev.gunicornjvm.common.posix.Errno;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.support.GunictlException;

/**
 * Sends signals with kill(2) through common's native layer. Binding libc with jnr-ffi costs a few hundred
 * milliseconds, so this class is only ever touched by commands that signal: {@code gunictl status} stays
 * fast.
 */
public final class SignalSender {
    private final Posix posix;

    public SignalSender() throws GunictlException {
        try {
            posix = Posix.get();
        } catch (RuntimeException | LinkageError e) {
            throw GunictlException.failed("cannot load the native layer to send signals: " + e);
        }
    }

    /**
     * Sends the signal.
     *
     * @param who how to name the receiver in messages, e.g. "master 1234"
     * @return false if there is no such process (any more)
     */
    public boolean send(int pid, Signal signal, String who) throws GunictlException {
        try {
            return posix.kill(pid, signal.number());
        } catch (Errno e) {
            if (e.code() == Errno.EPERM) {
                throw GunictlException.unreachable("cannot send " + signal.name() + " to " + who
                        + ": permission denied (run gunictl as the master's user or root)");
            }
            throw GunictlException.failed("cannot send " + signal.name() + " to " + who + ": " + e.getMessage());
        }
    }
}
