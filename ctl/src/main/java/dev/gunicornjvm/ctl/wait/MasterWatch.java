package dev.gunicornjvm.ctl.wait;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.ctl.client.ControlClient;
import dev.gunicornjvm.ctl.client.ControlException;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterProcess;
import java.time.Duration;

/**
 * Watches one master: polls its status over the control socket until a condition holds, and fails at
 * once when the master itself is gone, rather than waiting out the deadline for a dead process.
 */
public final class MasterWatch {
    /** A master answers within one loop pass, or says "busy" after 5 s; no single request needs longer. */
    private static final Duration REQUEST_CAP = Duration.ofSeconds(7);

    /** A look at one status answer; may throw to fail at once (e.g. another process it depends on died). */
    @FunctionalInterface
    public interface Condition<T> {
        Poll.Result<T> test(MasterStatus status) throws GunictlException;
    }

    private final ControlClient control;
    private final MasterProcess master;
    private final String name;

    /** @param name how messages call it: "master 1234", "old master 1234" */
    public MasterWatch(ControlClient control, MasterProcess master, String name) {
        this.control = control;
        this.master = master;
        this.name = name;
    }

    public MasterProcess master() {
        return master;
    }

    public String name() {
        return name;
    }

    /** One status request, bounded by the deadline. */
    public MasterStatus status(Deadline deadline) throws ControlException {
        return control.status(master.pid(), deadline.forOneRequest(REQUEST_CAP));
    }

    public MasterStatus scale(int workers, Deadline deadline) throws ControlException {
        return control.scale(master.pid(), workers, deadline.forOneRequest(REQUEST_CAP));
    }

    /**
     * Polls the status until {@code condition} says done. Answers that fail for a passing reason (the
     * socket not there yet, the master busy) count as "not yet"; the master exiting fails at once.
     */
    public <T> T until(String what, Deadline deadline, Condition<T> condition)
            throws GunictlException {
        return Poll.until(what, deadline, () -> {
            requireAlive(what);
            MasterStatus s;
            try {
                s = status(deadline);
            } catch (ControlException e) {
                if (!e.transientFailure()) {
                    throw e;
                }
                requireAlive(what);
                return Poll.notYet(e.getMessage());
            }
            return condition.test(s);
        });
    }

    /** Waits until the master process has exited. */
    public void untilGone(String what, Deadline deadline) throws GunictlException {
        Poll.until(what, deadline, () -> master.alive() ? Poll.notYet(name + " still running") : Poll.done(true));
    }

    public void requireAlive(String what) throws GunictlException {
        if (!master.alive()) {
            throw GunictlException.failed(name + " exited while waiting for " + what + " (see its log)");
        }
    }
}
