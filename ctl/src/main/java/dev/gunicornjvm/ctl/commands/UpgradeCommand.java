package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.ctl.output.Report;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.upgrade.Upgrade;
import java.time.Duration;
import picocli.CommandLine.Command;

/** The binary upgrade of the spec, step by step, rolled back the spec's way if a step fails. */
@Command(name = "upgrade", description = {"Upgrade to the installation on disk without dropping a request:"
        + " USR2; wait for the new master (PIDFILE) and all its workers ready; WINCH the old master"
        + " (PIDFILE.oldbin) and wait until its workers are gone; QUIT it and wait until it has exited.",
        "If a step fails before the QUIT, roll back: HUP the old master, wait for its workers, QUIT (then TERM)"
                + " the new master, wait until PIDFILE names the old master again; exit 1 naming the step.",
        "--timeout applies to each step."})
public final class UpgradeCommand extends CtlCommand {
    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected void run(Report report) throws GunictlException {
        new Upgrade(masters(), control(), signals(), report, timeout()).run();
    }
}
