package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.ControlCommand;
import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.ControlResponse;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.config.Version;
import dev.gunicornjvm.master.socket.Listener;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Answers the control socket's requests, on the arbiter's thread, so that what it reports is consistent. */
final class ControlCommands {
    private final int pid;
    private final StartupSettings startup;
    private final UpgradeState upgrade;
    private final Workforce workforce;
    private final Clock clock;
    private final long startedNanos;
    private final BooleanSupplier stopping;

    ControlCommands(int pid, StartupSettings startup, UpgradeState upgrade, Workforce workforce, Clock clock,
                    BooleanSupplier stopping) {
        this.pid = pid;
        this.startup = startup;
        this.upgrade = upgrade;
        this.workforce = workforce;
        this.clock = clock;
        this.startedNanos = clock.nanos();
        this.stopping = stopping;
    }

    ControlResponse answer(ControlRequest request) {
        Optional<ControlCommand> command = ControlCommand.ofWire(request.command());
        if (command.isEmpty()) {
            return ControlResponse.failure(request.id(), "unknown-command", "unknown command '" + request.command()
                    + "' (this master knows: " + ControlCommand.known() + ")");
        }
        return switch (command.get()) {
            case STATUS -> ControlResponse.success(request.id(), status());
            case SCALE -> scale(request);
        };
    }

    private ControlResponse scale(ControlRequest request) {
        Object n = request.args() == null ? null : request.args().get("workers");
        if (!(n instanceof Number number) || number.intValue() < 1 || number.doubleValue() != number.intValue()) {
            return ControlResponse.failure(request.id(), "invalid-argument",
                    "scale needs args.workers, a whole number of at least 1");
        }
        if (stopping.getAsBoolean()) {
            return ControlResponse.failure(request.id(), "stopping", "the master is shutting down");
        }
        workforce.count().scale(number.intValue());
        return ControlResponse.success(request.id(), status());
    }

    /** What gunictl status shows, as of now. */
    MasterStatus status() {
        long now = clock.nanos();
        Generation current = workforce.current();
        Settings settings = current.settings();
        return new MasterStatus(pid, Version.text(), TimeUnit.NANOSECONDS.toSeconds(now - startedNanos),
                settings.app().name(), current.listeners().stream().map(Listener::url).toList(),
                settings.configFile() == null ? "command line" : settings.configFile().toString(),
                upgrade.pidFile().map(p -> p.path().toString()).orElse(null), startup.daemon(), settings.preload(),
                current.number(), upgrade.role(), upgrade.otherMaster(), workforce.count().target(), settings.standby(),
                stopping.getAsBoolean(), workforce.workers().describe(now), workforce.generations().lastReload());
    }
}
