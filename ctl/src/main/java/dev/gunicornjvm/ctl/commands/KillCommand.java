package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.common.process.ProcessRole;
import dev.gunicornjvm.common.process.ProcessTable;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.output.Report;
import dev.gunicornjvm.ctl.signals.SpecSignals;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterLocator;
import dev.gunicornjvm.ctl.target.MasterProcess;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A raw signal of the spec, to the master, one of its workers, or the old master of an upgrade. It does
 * not wait for an effect (the friendly commands do); it only refuses what would not be a gunicorn
 * process of this pidfile, so a typo cannot signal a stranger.
 */
@Command(name = "kill", description = {"Send one of the spec's signals: HUP INT QUIT TERM USR1 USR2 TTIN TTOU WINCH"
        + " (by name, with or without SIG, or by number) to the master, to one of its workers (--worker PID:"
        + " TERM INT QUIT USR1 only), or to the old master of an upgrade (--old).",
        "Does not wait for the effect: use the other commands for that."})
public final class KillCommand extends CtlCommand {
    @Parameters(paramLabel = "SIGNAL", description = "HUP INT QUIT TERM USR1 USR2 TTIN TTOU WINCH, or a number.")
    private String signal;

    @Option(names = "--worker", paramLabel = "PID",
            description = "Send it to this worker of the master (refused if it is not one).")
    private Integer worker;

    @Option(names = "--old", description = "Send it to the old master of an upgrade (PIDFILE.oldbin), or with"
            + " --worker to one of the old master's workers.")
    private boolean old;

    /** Only the lookups (pidfile, /proc) take time. */
    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    protected void run(Report report) throws GunictlException {
        Signal s = SpecSignals.parse(signal);
        report.put("signal", s.name());
        MasterLocator masters = masters();
        MasterProcess master = old ? masters.requireOld() : masters.current();
        String masterName = (old ? "old " : "") + name(master);
        if (worker == null) {
            report.put("pid", master.pid());
            report.succeed(signal(master, s, masterName));
            return;
        }
        int pid = worker;
        requireWorker(pid, master, masterName, masters);
        if (!SpecSignals.WORKER.contains(s)) {
            throw GunictlException.usage("a worker acts only on " + SpecSignals.names(SpecSignals.WORKER) + ", not "
                    + s.name() + " (send that to the master)");
        }
        report.put("pid", pid);
        String name = "worker " + pid + " of " + masterName;
        if (!signals().send(pid, s, name)) {
            throw GunictlException.failed(name + " has exited; " + s.name() + " not sent");
        }
        report.succeed("sent " + s.name() + " to " + name);
    }

    /** Refuses a pid that is not a running worker whose parent is this master. */
    private void requireWorker(int pid, MasterProcess master, String masterName, MasterLocator masters)
            throws GunictlException {
        if (isWorkerOf(pid, master.pid())) {
            return;
        }
        if (pid == master.pid()) {
            throw GunictlException.usage("pid " + pid + " is the master, not a worker (leave out --worker)");
        }
        String hint = old ? "" : masters.old().filter(o -> isWorkerOf(pid, o.pid()))
                .map(o -> "; it is a worker of the old master " + o.pid() + " (add --old)").orElse("");
        throw GunictlException.usage("pid " + pid + " is not a worker of " + masterName + hint + "; refused");
    }

    /** True if the pid is a running worker whose parent is this master. */
    private static boolean isWorkerOf(int pid, int master) {
        return ProcessTable.stat(pid).filter(s -> s.running() && s.parent() == master).isPresent()
                && ProcessRole.WORKER.titles(ProcessTable.cmdline(pid));
    }
}
