package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.common.signals.Signal;
import java.time.Duration;
import picocli.CommandLine.Command;

/** TERM: the quick shutdown (workers get TERM and one second), waiting until the master is gone. */
@Command(name = "stop", description = "Quick shutdown (TERM): requests in flight are cut. Waits until the master"
        + " has exited. Use quit for a graceful stop.")
public final class StopCommand extends ShutdownCommand {
    @Override
    Signal signal() {
        return Signal.TERM;
    }

    @Override
    String how() {
        return "quick shutdown, TERM";
    }

    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(30);
    }
}
