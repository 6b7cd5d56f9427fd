package dev.gunicornjvm.ctl.commands;

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

/**
 * HUP, then the truth about it: the master numbers its reloads (lastReload.sequence), so gunictl waits for
 * one newer than the last it saw to be done, reports the master's own reason if it failed, and on
 * success waits until the older generation's workers are gone.
 */
@Command(name = "reload", description = {"Reload the configuration and the app (HUP): wait until the new"
        + " generation of workers serves and the old one has stopped.",
        "If the master rejects the reload (e.g. an invalid config file), print its reason and exit 1;"
                + " the master keeps serving with its running configuration."})
public final class ReloadCommand extends CtlCommand {
    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected void run(Report report) throws GunictlException {
        MasterProcess master = masters().current();
        MasterWatch watch = watch(master, name(master));
        Deadline deadline = deadline();
        MasterStatus before = watch.status(deadline);
        if (before.stopping()) {
            throw GunictlException.failed(name(master) + " is shutting down; nothing to reload");
        }
        long seen = before.lastReload() == null ? 0 : before.lastReload().sequence();
        report.put("master", master.pid());
        report.step(signal(master, Signal.HUP, name(master)));

        MasterStatus.Reload reload = watch.until("the master to finish reload #" + (seen + 1), deadline, s -> {
            MasterStatus.Reload r = s.lastReload();
            if (r == null || r.sequence() <= seen) {
                return Poll.notYet("HUP not handled yet");
            }
            return r.done() ? Poll.done(r) : Poll.notYet("reload #" + r.sequence() + ": " + r.message());
        });
        report.put("reload", reload);
        if (!reload.ok()) {
            throw GunictlException.failed("reload #" + reload.sequence() + " failed; " + name(master)
                    + " keeps serving generation " + reload.generation() + ": " + reload.message());
        }
        report.step("reload #" + reload.sequence() + " done: " + reload.message());

        MasterStatus after = watch.until("the workers of older generations to stop", deadline,
                s -> Workers.anyOlderGeneration(s) ? Poll.notYet(Workers.summary(s)) : Poll.done(s));
        report.put("generation", after.generation());
        report.put("workers", Workers.withoutStandbys(after));
        report.succeed("reloaded: " + name(master) + " serves generation " + after.generation() + " with "
                + Workers.readyOfCurrent(after) + " of " + Workers.count(after.targetWorkers()) + " ready;"
                + " no older workers left");
    }
}
