package dev.gunicornjvm.ctl.upgrade;

import dev.gunicornjvm.common.control.UpgradeRole;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.process.ProcessIdentity;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.client.ControlException;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterLocator;
import dev.gunicornjvm.ctl.target.MasterProcess;
import dev.gunicornjvm.ctl.wait.Deadline;
import dev.gunicornjvm.ctl.wait.MasterWatch;
import dev.gunicornjvm.ctl.wait.Poll;
import dev.gunicornjvm.ctl.wait.Workers;
import java.nio.file.Files;
import java.time.Duration;

/**
 * The spec's way back from an upgrade that failed before the old master was told to QUIT: the old master's
 * workers first (HUP, which with a new master alive starts them without reloading the configuration),
 * then the new master away (QUIT, TERM if it lingers), then PIDFILE naming the old master again. Workers
 * come back before the new master leaves, so capacity never drops to zero.
 */
final class Rollback {
    private final Upgrade u;

    Rollback(Upgrade upgrade) {
        this.u = upgrade;
    }

    /** Rolls back after {@code cause} failed {@code step}; returns the exception the upgrade ends with. */
    GunictlException after(UpgradeStep step, GunictlException cause) {
        String failure = Upgrade.failedAt(step, cause);
        u.report.put("failedStep", step.id());
        if (step == UpgradeStep.USR2 && u.fresh == null && !Files.exists(u.target().oldbin())) {
            u.report.put("rolledBack", false);
            return new GunictlException(cause.exitCode(), failure + "; nothing was changed");
        }
        u.report.step("step '" + step.id() + "' failed: " + cause.getMessage());
        u.report.step("rolling back: old master " + u.old.pid() + " serves on, new master "
                + (u.fresh == null ? "(if any)" : Integer.toString(u.fresh.pid())) + " goes");
        try {
            restoreOldWorkers();
            stopNewMaster();
            awaitPidFileRestored();
            u.report.put("rolledBack", true);
            return new GunictlException(cause.exitCode(), failure + "; rolled back: old master " + u.old.pid()
                    + " serves with " + u.oldTarget + " workers and " + u.target().pidFile() + " names it again");
        } catch (GunictlException e) {
            u.report.put("rolledBack", false);
            return new GunictlException(cause.exitCode(), failure + "; ROLLBACK FAILED: " + e.getMessage());
        }
    }

    /** The old master serving with its workers again: HUP after WINCH, as the spec says. */
    private void restoreOldWorkers() throws GunictlException {
        if (!u.old.alive()) {
            throw GunictlException.failed("the old master " + u.old.pid() + " has exited: there is nothing to go back to"
                    + (u.fresh != null && u.fresh.alive() ? "; new master " + u.fresh.pid() + " keeps serving" : ""));
        }
        Deadline deadline = Deadline.after(u.stepTimeout);
        if (u.winchSent) {
            MasterStatus s = u.oldWatch.status(deadline);
            if (s.upgrade() == UpgradeRole.NEW_MASTER_RUNNING) {
                send(u.old, Signal.HUP, "old master");
                u.report.step("sent HUP to old master " + u.old.pid() + ": it starts its workers again without"
                        + " reloading its configuration");
            } else {
                // The new master is already gone, and HUP to a master without one is a full reload: the
                // control socket's scale brings the workers back with the configuration untouched.
                u.oldWatch.scale(u.oldTarget, deadline);
                u.report.step("the new master is gone, so instead of HUP (a full reload now) asked old master "
                        + u.old.pid() + " for its " + u.oldTarget + " workers over the control socket");
            }
        }
        MasterStatus s = u.oldWatch.until(u.oldTarget + " ready workers of the old master", deadline,
                st -> Workers.readyOfCurrent(st) >= u.oldTarget ? Poll.done(st) : Poll.notYet(Workers.summary(st)));
        u.report.step("old master " + u.old.pid() + " has " + Workers.readyOfCurrent(s) + " ready workers");
    }

    /** QUIT to the new master; TERM if it is still there after half the time. */
    private void stopNewMaster() throws GunictlException {
        MasterProcess fresh = newMaster();
        if (fresh == null || !fresh.alive()) {
            return;
        }
        Duration half = u.stepTimeout.dividedBy(2);
        send(fresh, Signal.QUIT, "new master");
        u.report.step("sent QUIT to new master " + fresh.pid() + ": its workers finish their requests");
        MasterWatch watch = new MasterWatch(u.control, fresh, "new master " + fresh.pid());
        try {
            watch.untilGone("the new master to exit", Deadline.after(half));
            return;
        } catch (GunictlException stillThere) {
            send(fresh, Signal.TERM, "new master");
            u.report.step("new master " + fresh.pid() + " still running: sent TERM");
        }
        watch.untilGone("the new master to exit after TERM", Deadline.after(half));
        u.report.step("new master " + fresh.pid() + " has exited");
    }

    /** The new master, if one was seen; else whatever the old master says it started. */
    private MasterProcess newMaster() {
        if (u.fresh != null) {
            return u.fresh;
        }
        try {
            MasterStatus s = u.oldWatch.status(Deadline.after(u.stepTimeout));
            if (s.upgrade() == UpgradeRole.NEW_MASTER_RUNNING && s.otherMaster() > 0) {
                int pid = s.otherMaster();
                return ProcessIdentity.of(pid).map(p -> new MasterProcess(p, u.target().pidFile())).orElse(null);
            }
        } catch (ControlException e) {
            // Then no new master is known; the pidfile check below still tells the truth.
        }
        return null;
    }

    private void awaitPidFileRestored() throws GunictlException {
        Poll.until(u.target().pidFile() + " to name old master " + u.old.pid() + " again and " + u.target().oldbin()
                + " to be gone", Deadline.after(u.stepTimeout),
                () -> MasterLocator.pidIn(u.target().pidFile()) == u.old.pid() && Files.notExists(u.target().oldbin())
                        ? Poll.done(true) : Poll.notYet(u.pidFiles()));
        u.report.step(u.target().pidFile() + " names old master " + u.old.pid() + " again");
    }

    private void send(MasterProcess master, Signal signal, String role) throws GunictlException {
        if (master.alive()) {
            u.signals.send(master.pid(), signal, role + " " + master.pid());
        }
    }
}
