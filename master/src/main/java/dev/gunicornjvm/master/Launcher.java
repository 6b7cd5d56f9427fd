package dev.gunicornjvm.master;

import dev.gunicornjvm.common.app.AppLoader;
import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.common.logging.Logging;
import dev.gunicornjvm.common.statsd.Statsd;
import org.apache.logging.log4j.LogManager;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.master.config.AppCheck;
import dev.gunicornjvm.master.config.ConfigPrinter;
import dev.gunicornjvm.master.config.ConfigSources;
import dev.gunicornjvm.master.config.GunicornCommand;
import dev.gunicornjvm.master.config.Settings;
import java.io.PrintStream;

/**
 * What {@code gunicorn} does with its settings: print help or the version, check them, print them, or
 * run the master. Every problem found before the master runs is one line, {@code Error: ...}, on
 * stderr, with exit code 2 for the settings and 4 for the app.
 */
public final class Launcher {
    private final ConfigSources sources;
    private final PrintStream out;
    private final PrintStream err;

    public Launcher(ConfigSources sources, PrintStream out, PrintStream err) {
        this.sources = sources;
        this.out = out;
        this.err = err;
    }

    /** Returns the process exit code. */
    public int run() {
        GunicornCommand command;
        Settings settings;
        try {
            command = sources.read();
            if (command.helpOrVersion()) {
                command.printHelpOrVersion(out);
                return ExitCodes.OK;
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
        if (command.printConfigOnly()) {
            out.print(ConfigPrinter.toToml(settings));
            return ExitCodes.OK;
        }
        if (command.checkConfigOnly()) {
            return DeploymentCheck.run(settings, out, err);
        }
        Logging.configure(new LogSettings(settings.errorLog(), settings.accessLog(), settings.logLevel()));
        Statsd.configure(settings.requestLog().statsd());
        for (String name : settings.requestLog().format().unknownNames()) {
            // Gunicorn writes '-' for an atom it does not know, and so do workers; it is still worth a word.
            LogManager.getLogger("gunicorn.error").warn("--access-logformat: unknown atom %({})s is written as -", name);
        }
        return new Master(settings, sources, sources.commandLine()).run();
    }
}
