package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.ControlCommand;
import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.ControlResponse;
import dev.gunicornjvm.common.control.MasterStatus;
import java.util.Optional;
import java.util.function.Supplier;

/** Answers the control socket's requests, on the arbiter's thread, so that what it reports is consistent. */
final class ControlCommands {
    private final Supplier<MasterStatus> status;
    private final WorkerCount count;
    private final Supplier<Boolean> stopping;

    ControlCommands(Supplier<MasterStatus> status, WorkerCount count, Supplier<Boolean> stopping) {
        this.status = status;
        this.count = count;
        this.stopping = stopping;
    }

    ControlResponse answer(ControlRequest request) {
        Optional<ControlCommand> command = ControlCommand.ofWire(request.command());
        if (command.isEmpty()) {
            return ControlResponse.failure(request.id(), "unknown-command", "unknown command '" + request.command()
                    + "' (this master knows: " + ControlCommand.known() + ")");
        }
        return switch (command.get()) {
            case STATUS -> ControlResponse.success(request.id(), status.get());
            case SCALE -> scale(request);
        };
    }

    private ControlResponse scale(ControlRequest request) {
        Object n = request.args() == null ? null : request.args().get("workers");
        if (!(n instanceof Number number) || number.intValue() < 1 || number.doubleValue() != number.intValue()) {
            return ControlResponse.failure(request.id(), "invalid-argument",
                    "scale needs args.workers, a whole number of at least 1");
        }
        if (stopping.get()) {
            return ControlResponse.failure(request.id(), "stopping", "the master is shutting down");
        }
        count.scale(number.intValue());
        return ControlResponse.success(request.id(), status.get());
    }
}
