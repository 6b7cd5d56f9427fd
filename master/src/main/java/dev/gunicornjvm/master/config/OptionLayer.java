package dev.gunicornjvm.master.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The options one source (the command line, GUNICORN_CMD_ARGS or the config file) sets, parsed by
 * picocli on its own. Parsing each source separately keeps picocli's rule that an option is given
 * once per source, and tells which options a source really set, so that merging can let a higher
 * source replace a lower one's value option by option, lists included.
 */
final class OptionLayer {
    private final GunicornCommand command;
    /** The value of every option or positional the source matched, keyed by {@link #key}. */
    private final Map<String, Object> values;

    private OptionLayer(GunicornCommand command, Map<String, Object> values) {
        this.command = command;
        this.values = values;
    }

    /**
     * @param valuesLookLikeOptions true when every option value is known to be a value even if it reads
     *                              like an option name (e.g. worker_java_opts = "-w" in a file)
     * @throws ParameterException picocli's own, with its message, when the arguments do not parse
     */
    static OptionLayer parse(List<String> args, boolean valuesLookLikeOptions) {
        GunicornCommand command = new GunicornCommand();
        ParseResult result = new CommandLine(command).setAllowOptionsAsOptionParameters(valuesLookLikeOptions)
                .parseArgs(args.toArray(String[]::new));
        Map<String, Object> values = new LinkedHashMap<>();
        result.matchedOptions().forEach(option -> values.put(key(option), option.getValue()));
        result.matchedPositionals().forEach(positional -> values.put(key(positional), positional.getValue()));
        return new OptionLayer(command, values);
    }

    /** The source parsed on its own, with defaults for what it does not set. */
    GunicornCommand command() {
        return command;
    }

    /**
     * One command with, per option, the value of the last layer that sets it, or the default when none
     * does. Lowest precedence first.
     */
    static GunicornCommand merge(List<OptionLayer> layers) {
        GunicornCommand merged = new GunicornCommand();
        CommandLine commandLine = new CommandLine(merged);
        commandLine.parseArgs(); // applies the default values
        CommandSpec spec = commandLine.getCommandSpec();
        for (OptionLayer layer : layers) {
            layer.values.forEach((key, value) -> find(spec, key).setValue(copy(value)));
        }
        return merged;
    }

    private static String key(ArgSpec arg) {
        return arg instanceof OptionSpec option ? option.longestName() : "#" + ((PositionalParamSpec) arg).index();
    }

    private static ArgSpec find(CommandSpec spec, String key) {
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        return args.stream().filter(arg -> key(arg).equals(key)).findFirst().orElseThrow();
    }

    /** Lists are copied so that the merged command never shares one with a layer. */
    private static Object copy(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : value;
    }
}
