package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.output.Report;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterProcess;
import java.nio.file.Files;

/** stop and quit: one signal to the master, then wait until the master process has exited. */
abstract class ShutdownCommand extends CtlCommand {
    /** TERM (quick) or QUIT (graceful). */
    abstract Signal signal();

    abstract String how();

    @Override
    protected void run(Report report) throws GunictlException {
        MasterProcess master = masters().current();
        report.put("master", master.pid());
        report.step(signal(master, signal(), name(master)));
        watch(master, name(master)).untilGone(name(master) + " to exit", deadline());
        report.succeed(name(master) + " has exited (" + how() + ")"
                + (Files.exists(target().pidFile()) ? "" : "; " + target().pidFile() + " removed"));
    }
}
