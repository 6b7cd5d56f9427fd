package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.common.signals.Signal;
import java.time.Duration;
import picocli.CommandLine.Command;

/** QUIT: the graceful shutdown, waiting until the master is gone; its default outlasts the drain. */
@Command(name = "quit", description = "Graceful shutdown (QUIT): workers finish their requests (up to the"
        + " master's --graceful-timeout). Waits until the master has exited.")
public final class QuitCommand extends ShutdownCommand {
    @Override
    Signal signal() {
        return Signal.QUIT;
    }

    @Override
    String how() {
        return "graceful shutdown, QUIT";
    }

    /** gunicorn's default --graceful-timeout is 30 s, and the master adds 2 s before it kills. */
    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(60);
    }
}
