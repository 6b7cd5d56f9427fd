package dev.gunicornjvm.ctl.shell;

import dev.gunicornjvm.ctl.target.Target;
import dev.gunicornjvm.ctl.target.TargetSource;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * What the shell was started with: gunictl's own options (-p/--pid, --control-dir, ...) as given on the
 * shell's command line. Every line typed in the shell runs in a fresh gunictl command line that takes
 * these as its defaults, so {@code gunictl -p /srv/app/gunicorn.pid} then {@code status} means
 * {@code gunictl -p /srv/app/gunicorn.pid status}, and an option typed on the line still wins.
 */
final class ShellContext {
    private final Target target;
    private final Map<String, String> passThrough;
    private final CommandLineFactory commandLines;

    ShellContext(Target target, Map<String, String> passThrough, CommandLineFactory commandLines) {
        this.target = target;
        this.passThrough = Map.copyOf(passThrough);
        this.commandLines = commandLines;
    }

    /** The master the root command targets, and its options' values as parsed (help and version left out). */
    static ShellContext from(CommandSpec root, CommandLineFactory commandLines) {
        Target target = root.userObject() instanceof TargetSource source ? source.target()
                : new Target(Path.of("gunicorn.pid"), null);
        Map<String, String> values = new LinkedHashMap<>();
        for (OptionSpec option : root.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            Object value = option.getValue();
            if (value == null || value instanceof Collection || value instanceof Map || value.getClass().isArray()) {
                continue;
            }
            values.put(option.longestName(), String.valueOf(value));
        }
        return new ShellContext(target, values, commandLines);
    }

    /** The pidfile and control directory the shell was started with. */
    Target target() {
        return target;
    }

    /**
     * A fresh, fully configured gunictl command line for one line of input (from the {@link CommandLineFactory}),
     * with the shell's options as defaults in front of gunictl's own default provider.
     */
    CommandLine commandLine() {
        CommandLine cl = commandLines.newCommandLine();
        IDefaultValueProvider own = cl.getDefaultValueProvider();
        cl.setDefaultValueProvider(arg -> {
            if (arg instanceof OptionSpec option) {
                // Root options, and their inherited copies in subcommands; never a subcommand's own option.
                boolean rootOption = option.command() != null && option.command().parent() == null;
                String value = rootOption || option.inherited() ? passThrough.get(option.longestName()) : null;
                if (value != null) {
                    return value;
                }
            }
            return own == null ? null : own.defaultValue(arg);
        });
        return cl;
    }
}
