package dev.gunicornjvm.master.config;

import dev.gunicornjvm.common.app.AppLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ParameterException;

/**
 * Every source of settings, merged by precedence: the command line, then GUNICORN_CMD_ARGS, then the
 * {@code -c/--config} file, then the defaults. The command line and the variable are captured once, at
 * start; the file is read from disk each time, so that {@link #reload()} (HUP) sees its edits.
 */
public final class ConfigSources implements SettingsReloader {
    /** Extra arguments in one string, as in Gunicorn. */
    public static final String ENV_VAR = "GUNICORN_CMD_ARGS";

    private final List<String> commandLine;
    private final String envArgs;
    private final Map<String, String> environment;

    /**
     * @param commandLine the master's arguments
     * @param envArgs     the value of GUNICORN_CMD_ARGS, or null when it is not set
     */
    public ConfigSources(List<String> commandLine, String envArgs) {
        this(commandLine, envArgs, System.getenv());
    }

    /** @param environment the variables settings depend on (PORT), as a test gives them */
    ConfigSources(List<String> commandLine, String envArgs, Map<String, String> environment) {
        this.commandLine = List.copyOf(commandLine);
        this.envArgs = envArgs;
        this.environment = Map.copyOf(environment);
    }

    /** The master's own arguments, as given: a new master started by USR2 gets exactly these. */
    public List<String> commandLine() {
        return commandLine;
    }

    /** The sources of this process: its arguments and its GUNICORN_CMD_ARGS. */
    public static ConfigSources fromEnvironment(String[] args) {
        return new ConfigSources(List.of(args), System.getenv(ENV_VAR));
    }

    /**
     * Reads all sources now and merges them, without validating the result. When help or the version is
     * asked for, the file is not read, so that they work even while it is broken.
     *
     * @throws IllegalArgumentException with one line saying which source is wrong and how
     */
    public GunicornCommand read() {
        OptionLayer cli = parse(commandLine, false, "", " (see gunicorn --help)");
        List<String> envWords;
        try {
            envWords = ShellWords.split(envArgs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV_VAR + ": " + e.getMessage());
        }
        OptionLayer env = parse(envWords, false, ENV_VAR + ": ", " (see gunicorn --help)");
        List<OptionLayer> lowestFirst = new ArrayList<>();
        String config = cli.command().configFile != null ? cli.command().configFile : env.command().configFile;
        if (config != null && !cli.command().helpOrVersion() && !env.command().helpOrVersion()) {
            List<String> fileArgs = ConfigFile.read(Path.of(config).toAbsolutePath(), config);
            lowestFirst.add(parse(fileArgs, true, config + ": ", ""));
        }
        lowestFirst.add(env);
        lowestFirst.add(cli);
        GunicornCommand merged = OptionLayer.merge(lowestFirst);
        merged.environment = environment;
        return merged;
    }

    /**
     * The settings from all sources as they are now, validated as at start, the app class included:
     * a HUP that would only start workers that cannot load the app is refused instead.
     */
    @Override
    public Settings reload() {
        Settings settings = read().settings();
        if (settings.preload()) {
            return settings; // a preloaded master keeps serving its own copy of the app, whatever is on disk
        }
        try {
            AppCheck.check(settings);
        } catch (AppLoader.AppLoadException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return settings;
    }

    private static OptionLayer parse(List<String> args, boolean fromFile, String source, String hint) {
        try {
            return OptionLayer.parse(args, fromFile);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(source + oneLine(e.getMessage()) + hint);
        }
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
