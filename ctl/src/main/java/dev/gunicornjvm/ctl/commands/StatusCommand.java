package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.ctl.output.Report;
import dev.gunicornjvm.ctl.output.StatusText;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterLocator;
import dev.gunicornjvm.ctl.target.MasterProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/** Shows the master and its workers from the control socket; during an upgrade, both masters. */
@Command(name = "status", description = {"Show the master (pid, version, uptime, app, binds, config, generation,"
        + " upgrade, last reload) and each worker (pid, generation, age, state, requests, last heartbeat).",
        "During an upgrade it shows both masters."})
public final class StatusCommand extends CtlCommand {
    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    protected void run(Report report) throws GunictlException {
        MasterLocator masters = masters();
        Optional<MasterProcess> current = masters.named(target().pidFile());
        Optional<MasterProcess> old = masters.old();
        if (current.isEmpty() && old.isEmpty()) {
            masters.current(); // throws: says why there is none
        }
        List<String> text = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        if (current.isPresent()) {
            String role = old.isPresent() ? "new master" : "master";
            MasterStatus s = watch(current.get(), name(current.get())).status(deadline());
            report.put("master", s);
            text.add(StatusText.format(role, target().pidFile().toString(), s));
            summary.add(StatusText.summary(role, s));
        } else {
            report.put("master", null);
            text.add("no master in " + target().pidFile() + " (an upgrade is starting or ending)");
            summary.add("no master in " + target().pidFile());
        }
        if (old.isPresent()) {
            MasterStatus s = watch(old.get(), "old " + name(old.get())).status(deadline());
            report.put("oldMaster", s);
            text.add(StatusText.format("old master", target().oldbin().toString(), s));
            summary.add(StatusText.summary("old master", s));
        }
        report.succeed(String.join("; ", summary), String.join("\n\n", text));
    }
}
