package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.ctl.output.Report;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterProcess;
import dev.gunicornjvm.ctl.wait.Deadline;
import dev.gunicornjvm.ctl.wait.MasterWatch;
import dev.gunicornjvm.ctl.wait.Poll;
import dev.gunicornjvm.ctl.wait.Workers;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Sets the number of workers through the control socket's "scale" (an exact number: unlike TTIN/TTOU,
 * which coalesce, two quick scales can never be lost), then waits until exactly that many workers of the
 * current generation are ready and no others run.
 */
@Command(name = "scale", description = {"Set the number of workers: N exactly, +K more, -K fewer (never below 1).",
        "Waits until exactly that many workers of the current generation are ready and no others run."})
public final class ScaleCommand extends CtlCommand {
    @Parameters(paramLabel = "N|+K|-K", description = "The number of workers, or a change of the current target.")
    private String count;

    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected void run(Report report) throws GunictlException {
        ScaleCount wanted = ScaleCount.parse(count);
        MasterProcess master = masters().current();
        MasterWatch watch = watch(master, name(master));
        Deadline deadline = deadline();
        MasterStatus before = watch.status(deadline);
        int target = wanted.from(before.targetWorkers());
        report.put("master", master.pid());
        report.put("from", before.targetWorkers());
        report.put("workers", target);
        watch.scale(target, deadline);
        report.step("asked " + name(master) + " for " + Workers.count(target) + " (target was " + before.targetWorkers() + ")");
        MasterStatus after = watch.until("exactly " + target + " ready workers of the current generation", deadline,
                s -> Workers.settledAt(s, target) ? Poll.done(s) : Poll.notYet(Workers.summary(s)));
        report.succeed(name(master) + " runs " + Workers.count(target) + ", all ready (generation " + after.generation() + ")");
    }
}
