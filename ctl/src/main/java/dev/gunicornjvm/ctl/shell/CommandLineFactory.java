package dev.gunicornjvm.ctl.shell;

import picocli.CommandLine;

/**
 * Makes a fresh, fully configured gunictl command line, one per line typed in the shell, so that no
 * state leaks from one command to the next. The shell is handed one (gunictl's own) instead of reaching
 * for the class that opens it.
 */
@FunctionalInterface
public interface CommandLineFactory {
    CommandLine newCommandLine();
}
