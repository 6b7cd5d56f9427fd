package dev.gunicornjvm.ctl.upgrade;

import dev.gunicornjvm.common.control.UpgradeRole;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.process.ProcessIdentity;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.client.ControlClient;
import dev.gunicornjvm.ctl.client.ControlException;
import dev.gunicornjvm.ctl.output.Report;
import dev.gunicornjvm.ctl.signals.SignalSender;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterLocator;
import dev.gunicornjvm.ctl.target.MasterProcess;
import dev.gunicornjvm.ctl.target.Target;
import dev.gunicornjvm.ctl.wait.Deadline;
import dev.gunicornjvm.ctl.wait.MasterWatch;
import dev.gunicornjvm.ctl.wait.Poll;
import dev.gunicornjvm.ctl.wait.Workers;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

/**
 * The spec's binary upgrade, one step after the other, each waiting for the state it needs before the
 * next: USR2; the new master running and named by PIDFILE (the old one by PIDFILE.oldbin); all its
 * workers ready; WINCH to the old master and its workers gone; QUIT to it and it gone; the pidfiles
 * checked. Readiness before retirement is what makes it lose no request. If a step fails while the old
 * master still holds its sockets, {@link Rollback} takes the spec's way back.
 */
public final class Upgrade {

    final MasterLocator masters;
    final ControlClient control;
    final SignalSender signals;
    final Report report;
    /** Each step (and each phase of a rollback) gets this long. */
    final Duration stepTimeout;

    private UpgradeStep step;
    MasterProcess old;
    MasterWatch oldWatch;
    /** The old master's target before the upgrade: what a rollback restores. */
    int oldTarget;
    /** The new master, from the moment anything names it (the old master's status, then PIDFILE). */
    MasterProcess fresh;
    boolean winchSent;

    public Upgrade(MasterLocator masters, ControlClient control, SignalSender signals, Report report,
                   Duration stepTimeout) {
        this.masters = masters;
        this.control = control;
        this.signals = signals;
        this.report = report;
        this.stepTimeout = stepTimeout;
    }

    public void run() throws GunictlException {
        prepare();
        try (OldbinWatch oldbin = OldbinWatch.start(target().oldbin())) {
            try {
                sendUsr2();
                awaitNewMaster(oldbin);
                awaitNewWorkers();
                drainOldMaster();
            } catch (GunictlException e) {
                throw new Rollback(this).after(step, e);
            }
        }
        try {
            quitOldMaster();
            verify();
        } catch (GunictlException e) {
            report.put("failedStep", step.id());
            report.put("rolledBack", false);
            throw new GunictlException(e.exitCode(), failedAt(step, e) + "; no rollback: the old master was told to"
                    + " QUIT and has closed its sockets" + (fresh.alive() ? "; new master " + fresh.pid() + " serves" : ""));
        }
    }

    static String failedAt(UpgradeStep step, GunictlException cause) {
        return "upgrade failed at step '" + step.id() + "' (" + step.description() + "): " + cause.getMessage();
    }

    Target target() {
        return masters.target();
    }

    private Deadline begin(UpgradeStep next) {
        step = next;
        return Deadline.after(stepTimeout);
    }

    /** Refuses to start an upgrade that could not end well: one already running, a stopping master. */
    private void prepare() throws GunictlException {
        old = masters.current();
        Optional<MasterProcess> previous = masters.old();
        if (previous.isPresent()) {
            throw GunictlException.failed("an upgrade is already in progress: old master " + previous.get().pid()
                    + " is in " + target().oldbin() + "; finish it (gunictl kill QUIT --old) or revert it first");
        }
        oldWatch = new MasterWatch(control, old, "old master " + old.pid());
        MasterStatus s = oldWatch.status(Deadline.after(stepTimeout));
        if (s.stopping()) {
            throw GunictlException.failed("master " + old.pid() + " is shutting down");
        }
        if (s.upgrade() != UpgradeRole.NONE) {
            throw GunictlException.failed("master " + old.pid() + " is already part of an upgrade (" + s.upgrade()
                    + ", other master " + s.otherMaster() + ")");
        }
        if (s.targetWorkers() < 1) {
            throw GunictlException.failed("master " + old.pid() + " has no workers to hand over (after WINCH?);"
                    + " start them first (gunictl reload)");
        }
        oldTarget = s.targetWorkers();
        report.put("oldMaster", old.pid());
    }

    private void sendUsr2() throws GunictlException {
        begin(UpgradeStep.USR2);
        if (!signals.send(old.pid(), Signal.USR2, "master " + old.pid())) {
            throw GunictlException.noMaster("master " + old.pid() + " has exited; USR2 not sent");
        }
        report.step("sent USR2 to master " + old.pid() + ": it renames " + target().pidFile() + " to "
                + target().oldbin() + " and starts a new master");
    }

    private void awaitNewMaster(OldbinWatch oldbin) throws GunictlException {
        Deadline deadline = begin(UpgradeStep.NEW_MASTER);
        MasterProcess named = Poll.until("the new master to start and " + target().pidFile() + " to name it", deadline,
                () -> {
                    requireOldAlive();
                    noteNewMaster(deadline);
                    if (fresh != null && !fresh.alive()) {
                        throw GunictlException.failed("the new master " + fresh.pid() + " exited before it was ready"
                                + " (its reason is in the old master's log)");
                    }
                    boolean oldbinNamesOld = MasterLocator.pidIn(target().oldbin()) == old.pid();
                    if (oldbin.appeared() && !oldbinNamesOld && MasterLocator.pidIn(target().pidFile()) == old.pid()) {
                        throw GunictlException.failed("the old master ended the upgrade and took "
                                + target().pidFile() + " back: its new master exited or could not be started"
                                + " (its reason is in the old master's log)");
                    }
                    Optional<MasterProcess> current = masters.named(target().pidFile())
                            .filter(m -> m.pid() != old.pid() && (fresh == null || m.pid() == fresh.pid()));
                    return oldbinNamesOld && current.isPresent() ? Poll.done(current.get()) : Poll.notYet(pidFiles());
                });
        fresh = named;
        report.put("newMaster", fresh.pid());
        report.step("new master " + fresh.pid() + " is running; " + pidFiles());
    }

    /** The old master knows its new master's pid from the moment it starts it: pin that process. */
    private void noteNewMaster(Deadline deadline) throws GunictlException {
        if (fresh != null) {
            return;
        }
        MasterStatus s;
        try {
            s = oldWatch.status(deadline);
        } catch (ControlException e) {
            if (!e.transientFailure()) {
                throw e;
            }
            return;
        }
        if (s.upgrade() == UpgradeRole.NEW_MASTER_RUNNING && s.otherMaster() > 0) {
            int pid = s.otherMaster();
            fresh = ProcessIdentity.of(pid).map(p -> new MasterProcess(p, target().pidFile()))
                    .orElseThrow(() -> GunictlException.failed("the new master " + pid + " exited before it was ready"
                            + " (its reason is in the old master's log)"));
        }
    }

    private void awaitNewWorkers() throws GunictlException {
        Deadline deadline = begin(UpgradeStep.NEW_WORKERS);
        MasterWatch freshWatch = new MasterWatch(control, fresh, "new master " + fresh.pid());
        MasterStatus s = freshWatch.until("the new master's workers to be ready", deadline, st -> {
            requireOldAlive();
            return Workers.settled(st) ? Poll.done(st) : Poll.notYet(Workers.summary(st));
        });
        report.step("new master " + fresh.pid() + " (gunicorn-jvm " + s.version() + ") has all " + s.targetWorkers()
                + " workers ready");
    }

    private void drainOldMaster() throws GunictlException {
        Deadline deadline = begin(UpgradeStep.WINCH);
        if (!signals.send(old.pid(), Signal.WINCH, "old master " + old.pid())) {
            throw GunictlException.failed("the old master " + old.pid() + " has exited (see its log)");
        }
        winchSent = true;
        report.step("sent WINCH to old master " + old.pid() + ": its workers finish their requests and stop");
        oldWatch.until("the old master's workers to stop", deadline, s -> {
            if (!fresh.alive()) {
                throw GunictlException.failed("the new master " + fresh.pid() + " has exited (see its log)");
            }
            return s.workers().isEmpty() ? Poll.done(s) : Poll.notYet(Workers.summary(s));
        });
        report.step("old master " + old.pid() + " has no workers left; new master " + fresh.pid() + " serves alone");
    }

    private void quitOldMaster() throws GunictlException {
        Deadline deadline = begin(UpgradeStep.QUIT);
        if (!signals.send(old.pid(), Signal.QUIT, "old master " + old.pid())) {
            return; // already gone: what QUIT was for
        }
        report.step("sent QUIT to old master " + old.pid());
        oldWatch.untilGone("the old master to exit", deadline);
        report.step("old master " + old.pid() + " has exited");
    }

    private void verify() throws GunictlException {
        Deadline deadline = begin(UpgradeStep.VERIFY);
        Poll.until(target().pidFile() + " to name new master " + fresh.pid() + " and " + target().oldbin()
                + " to be gone", deadline, () -> MasterLocator.pidIn(target().pidFile()) == fresh.pid()
                && Files.notExists(target().oldbin()) ? Poll.done(true) : Poll.notYet(pidFiles()));
        MasterStatus s = new MasterWatch(control, fresh, "new master " + fresh.pid()).status(deadline);
        report.succeed("upgraded: master " + fresh.pid() + " (gunicorn-jvm " + s.version() + ") serves with "
                + Workers.readyOfCurrent(s) + " workers; old master " + old.pid() + " has exited; "
                + target().pidFile() + " names " + fresh.pid() + " and there is no " + target().oldbin());
    }

    void requireOldAlive() throws GunictlException {
        if (!old.alive()) {
            throw GunictlException.failed("the old master " + old.pid() + " has exited (see its log)");
        }
    }

    /** "gunicorn.pid names 1300, gunicorn.pid.oldbin names 1200", for progress and timeouts. */
    String pidFiles() {
        return describe(target().pidFile()) + ", " + describe(target().oldbin());
    }

    private static String describe(java.nio.file.Path file) {
        int pid = MasterLocator.pidIn(file);
        return file + (pid > 0 ? " names " + pid : Files.exists(file) ? " holds no pid" : " does not exist");
    }
}
