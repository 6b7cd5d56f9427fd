package dev.gunicornjvm.master.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.master.app.AppSource;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A {@code -c/--config} TOML file, turned into the command-line arguments it stands for, so that its
 * values go through exactly the same parsing and validation as the command line's. Each problem is an
 * IllegalArgumentException with one line that names the file and says what to change.
 */
final class ConfigFile {
    private static final TomlMapper TOML = new TomlMapper();
    /**
     * Options whose values are file names. In a file they are relative to the file's directory, so a
     * config file means the same whatever directory gunicorn is started from.
     */
    private static final Set<String> PATH_OPTIONS = Set.of("--classpath", "--pid", "--control-dir", "--error-logfile",
            "--access-logfile", "--worker-cds", "--worker-java", "--reload-extra-files");
    private static final String UNIX = "unix:";
    private static final String FILE = "file:";

    private final String name;
    private final Path directory;
    private final CommandSpec spec = GunicornCommand.spec();
    private final Map<String, ArgSpec> keys = ConfigKeys.settable(spec);

    /** @param name the file as the user named it, for messages */
    private ConfigFile(String name, Path directory) {
        this.name = name;
        this.directory = directory;
    }

    /**
     * Reads the file as it is on disk now.
     *
     * @param file absolute
     * @param name the file as the user named it, for messages
     */
    static List<String> read(Path file, String name) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + ": no such file (check -c/--config)");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(name + ": permission denied (make it readable for this user)");
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot read it (" + e.getMessage() + ")");
        }
        return new ConfigFile(name, file.getParent()).toArguments(parse(bytes, name));
    }

    private static JsonNode parse(byte[] bytes, String name) {
        try {
            JsonNode tree = TOML.readTree(bytes);
            return tree == null ? TOML.createObjectNode() : tree;
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            // "near": the parser reports where it noticed the problem, which can be just after it.
            String where = at == null ? "" : " near line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException(name + ": TOML syntax error" + where + ": " + e.getOriginalMessage()
                    + " (write one setting a line, key = value, with strings in quotes)");
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    private List<String> toArguments(JsonNode tree) {
        List<String> options = new ArrayList<>();
        List<String> positionals = new ArrayList<>();
        Map<ArgSpec, String> seen = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : tree.properties()) {
            String key = entry.getKey();
            ArgSpec arg = setting(key, entry.getValue());
            String earlier = seen.put(arg, key);
            if (earlier != null) {
                throw new IllegalArgumentException(name + ": '" + earlier + "' and '" + key
                        + "' are the same setting (keep one of them)");
            }
            if (arg instanceof OptionSpec option) {
                for (String value : values(key, option, entry.getValue())) {
                    // The attached form, so that a value starting with '-' is not taken for an option.
                    options.add(option.longestName() + "=" + value);
                }
            } else {
                positionals.add(app(string(key, entry.getValue())));
            }
        }
        if (!positionals.isEmpty()) {
            options.add("--");
            options.addAll(positionals);
        }
        return options;
    }

    /** The option or positional a key sets, or an error that says what the key should have been. */
    private ArgSpec setting(String key, JsonNode value) {
        ArgSpec arg = keys.get(ConfigKeys.normalize(key));
        if (arg != null) {
            return arg;
        }
        OptionSpec action = ConfigKeys.action(spec, key);
        if (action != null) {
            throw new IllegalArgumentException(name + ": '" + key + "' is an action, not a setting (remove it; use "
                    + action.longestName() + " on the command line)");
        }
        if (value.isObject()) {
            throw new IllegalArgumentException(name + ": unknown setting '" + key
                    + "' (settings are top-level key = value lines, without [tables] or dotted keys)");
        }
        String suggestion = ConfigKeys.suggest(key, keys.keySet());
        throw new IllegalArgumentException(name + ": unknown setting '" + key + "' ("
                + (suggestion != null ? "did you mean '" + suggestion + "'?" : "see gunicorn --help for the options;"
                + " keys are their long names, e.g. graceful_timeout, plus app")
                + ")");
    }

    /** The option's values as command-line strings, after checking the TOML type fits the option. */
    private List<String> values(String key, OptionSpec option, JsonNode value) {
        Class<?> type = option.type();
        if (type == boolean.class || type == Boolean.class) {
            if (!value.isBoolean()) {
                throw wrongType(key, "true or false", key + " = true", value);
            }
            return List.of(Boolean.toString(value.booleanValue()));
        }
        if (type == int.class || type == Integer.class) {
            if (!value.isIntegralNumber()) {
                throw wrongType(key, "a whole number", key + " = 4", value);
            }
            if (!value.canConvertToInt()) {
                throw new IllegalArgumentException(name + ": '" + key + "' is too large (got " + value + ")");
            }
            return List.of(Integer.toString(value.intValue()));
        }
        if (option.isMultiValue()) {
            return strings(key, option, value);
        }
        return List.of(path(option, string(key, value)));
    }

    private List<String> strings(String key, OptionSpec option, JsonNode value) {
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(items::add);
        } else {
            items.add(value);
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isTextual()) {
                throw wrongType(key, "a string or an array of strings", key + " = [\"...\", \"...\"]", value);
            }
            // Split here rather than by picocli, so that each entry is resolved on its own.
            for (String part : option.splitRegex().isEmpty() ? new String[] {item.textValue()}
                    : item.textValue().split(option.splitRegex(), -1)) {
                result.add(path(option, part));
            }
        }
        return result;
    }

    private String string(String key, JsonNode value) {
        if (!value.isTextual()) {
            throw wrongType(key, "a string", key + " = \"...\"", value);
        }
        return value.textValue();
    }

    /** APP: a WAR or webapp directory relative to the file's directory; a class name as it is. */
    private String app(String value) {
        try {
            return AppSource.of(value, directory) instanceof AppSource.ServletClass ? value
                    : directory.resolve(value).toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /** A relative file name resolved against the config file's directory; other values as they are. */
    private String path(OptionSpec option, String value) {
        boolean socket = option.longestName().equals("--bind") && value.startsWith(UNIX);
        boolean sessions = option.longestName().equals("--session-store") && value.startsWith(FILE);
        if (!PATH_OPTIONS.contains(option.longestName()) && !socket && !sessions) {
            return value;
        }
        String prefix = socket ? UNIX : sessions ? FILE : "";
        String file = value.substring(prefix.length());
        // "" means none (-p ''), "-" a standard stream, "auto" and "off" are --worker-cds modes.
        if (file.isEmpty() || file.equals(LogSettings.STREAM) || GunicornCommand.WORKER_CDS_MODES.contains(file)) {
            return value;
        }
        return prefix + directory.resolve(file);
    }

    private IllegalArgumentException wrongType(String key, String expected, String example, JsonNode got) {
        return new IllegalArgumentException(name + ": '" + key + "' must be " + expected + ", e.g. " + example
                + " (got " + describe(got) + ")");
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "the string \"" + value.textValue() + "\"";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "a table";
        }
        return value.toString();
    }
}
