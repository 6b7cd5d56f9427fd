package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.common.control.UpgradeRole;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.output.Report;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterProcess;
import dev.gunicornjvm.ctl.wait.Deadline;
import dev.gunicornjvm.ctl.wait.MasterWatch;
import dev.gunicornjvm.ctl.wait.Poll;
import dev.gunicornjvm.ctl.wait.Workers;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * WINCH: gracefully stop every worker while the master keeps its sockets. A foreground master ignores it
 * (terminals send WINCH on every resize), so gunictl says so instead of pretending.
 */
@Command(name = "winch", description = {"Gracefully stop all workers (WINCH); the master keeps its sockets and"
        + " starts workers again on HUP. Waits until the master has no workers.",
        "Only a daemonized master (-D) or the old master of an upgrade (--old) acts on WINCH; for a master in"
                + " the foreground gunictl refuses and exits 1."})
public final class WinchCommand extends CtlCommand {

    @Option(names = "--old", description = "Send it to the old master of an upgrade (PIDFILE.oldbin).")
    private boolean old;

    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected void run(Report report) throws GunictlException {
        MasterProcess master = old ? masters().requireOld() : masters().current();
        String name = (old ? "old " : "") + name(master);
        MasterWatch watch = watch(master, name);
        Deadline deadline = deadline();
        MasterStatus before = watch.status(deadline);
        report.put("master", master.pid());
        if (!before.daemon() && before.upgrade() != UpgradeRole.NEW_MASTER_RUNNING) {
            throw GunictlException.failed(name + " runs in the foreground and ignores WINCH (terminals send it on"
                    + " every resize); WINCH stops the workers of a daemonized master (-D) or of the old master"
                    + " of an upgrade (--old). Use quit to stop this one");
        }
        report.step(signal(master, Signal.WINCH, name));
        watch.until(name + " to have no workers", deadline,
                s -> s.workers().isEmpty() ? Poll.done(s) : Poll.notYet(Workers.summary(s)));
        report.succeed(name + " has no workers and keeps its sockets; HUP starts them again (gunictl kill HUP"
                + (old ? " --old" : "") + ")");
    }
}
