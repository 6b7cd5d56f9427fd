package dev.gunicornjvm.master.config;

import dev.gunicornjvm.common.app.AppLoader;
import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.common.logging.Logging;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.master.Master;
import dev.gunicornjvm.master.DeploymentCheck;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * What {@code gunicorn} does with its settings: print help or the version, check them, print them, or
 * run the master. Every problem found before the master runs is one line, {@code Error: ...}, on
 * stderr, with exit code 2 for the settings and 4 for the app.
 */
final class Launcher {
    private final ConfigSources sources;
    private final PrintStream out;
    private final PrintStream err;

    Launcher(ConfigSources sources, PrintStream out, PrintStream err) {
        this.sources = sources;
        this.out = out;
        this.err = err;
    }

    /** Returns the process exit code. */
    int run() {
        GunicornCommand command;
        Settings settings;
        try {
            command = sources.read();
            if (command.helpOrVersion()) {
                return printHelpOrVersion(command);
            }
            settings = command.settings();
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            AppCheck.check(settings);
        } catch (AppLoader.AppLoadException e) {
            err.println("Error: " + e.getMessage());
            return ExitCodes.APP_LOAD_ERROR;
        }
        if (command.printConfig) {
            out.print(ConfigPrinter.toToml(settings));
            return ExitCodes.OK;
        }
        if (command.checkConfig) {
            return DeploymentCheck.run(settings, out, err);
        }
        Logging.configure(new LogSettings(settings.errorLog(), settings.accessLog(), settings.logLevel()));
        return new Master(settings, sources, sources.commandLine()).run();
    }

    private int printHelpOrVersion(GunicornCommand command) {
        CommandLine commandLine = new CommandLine(new GunicornCommand());
        if (command.help) {
            commandLine.usage(out);
        } else {
            commandLine.printVersionHelp(out);
        }
        return ExitCodes.OK;
    }
}
