package dev.gunicornjvm.ctl.shell;

import dev.gunicornjvm.ctl.support.GunictlVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code gunictl shell}, and what {@code gunictl} does with no command: the interactive shell. It takes
 * the same -p/--pid and --control-dir as every other command (they are gunictl's inherited options), and
 * hands them on to every command typed in the shell.
 */
@Command(name = "shell", mixinStandardHelpOptions = true, versionProvider = GunictlVersion.class,
        description = {"Open the interactive shell (what gunictl does with no command): every gunictl command,"
                + " with completion and history, and a prompt showing the master's pid and worker count.",
                "Also: help, watch [-n SECONDS] [COMMAND...], exit (quit stops the server, as everywhere)."})
public final class ShellCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CommandLineFactory commandLines;

    /** @param commandLines makes the command line each typed line runs in */
    public ShellCommand(CommandLineFactory commandLines) {
        this.commandLines = commandLines;
    }

    @Override
    public Integer call() {
        return open(spec.root(), commandLines);
    }

    /**
     * Opens the shell for an already parsed gunictl command line and returns its exit code. Called by
     * {@code gunictl shell} and by {@code gunictl} with no command, with the root command's spec.
     */
    public static int open(CommandSpec root, CommandLineFactory commandLines) {
        return new Shell(ShellContext.from(root, commandLines)).run();
    }
}
