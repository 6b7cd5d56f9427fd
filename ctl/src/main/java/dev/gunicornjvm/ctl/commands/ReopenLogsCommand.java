package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.client.ControlException;
import dev.gunicornjvm.ctl.output.Report;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterProcess;
import dev.gunicornjvm.ctl.wait.Workers;
import java.time.Duration;
import picocli.CommandLine.Command;

/**
 * USR1. The master reports nothing about reopening, so this confirms what can be known: the signal was
 * delivered and the master still answers afterwards.
 */
@Command(name = "reopen-logs", description = "Reopen the log files (USR1) in the master and its workers, e.g."
        + " after logrotate moved them. Confirms the signal was delivered and the master answers afterwards.")
public final class ReopenLogsCommand extends CtlCommand {
    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    protected void run(Report report) throws GunictlException {
        MasterProcess master = masters().current();
        report.put("master", master.pid());
        report.step(signal(master, Signal.USR1, name(master)));
        try {
            MasterStatus after = watch(master, name(master)).status(deadline());
            report.succeed(name(master) + " got USR1 and answers: it reopens its log files and tells its "
                    + Workers.count(after.workers().size()) + " to reopen theirs");
        } catch (ControlException e) {
            if (!master.alive()) {
                throw GunictlException.failed(name(master) + " exited after USR1 (see its log)");
            }
            // The signal did arrive; a control socket that does not answer is a separate problem.
            report.succeed(name(master) + " got USR1 and is running (its control socket did not answer: "
                    + e.getMessage() + ")");
        }
    }
}
