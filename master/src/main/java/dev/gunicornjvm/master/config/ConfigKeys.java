package dev.gunicornjvm.master.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The names of settings in a config file. They are derived from the options themselves (the long
 * names without the leading {@code --}, with {@code _} or {@code -}, Gunicorn style), so that every
 * new option can be set in a file without touching this class.
 */
final class ConfigKeys {
    /** The key of the positional APP, which has no option name. */
    static final String APP = "app";

    /**
     * Gunicorn's own names for settings that are spelled differently here. Only used to suggest the
     * right key to people who bring a gunicorn.conf.py habit, never accepted as keys.
     */
    private static final Map<String, String> GUNICORN_NAMES = Map.of(
            "cp", "classpath",
            "errorlog", "error_logfile",
            "accesslog", "access_logfile",
            "loglevel", "log_level",
            "pidfile", "pid",
            "proc_name", "name",
            "keepalive", "keep_alive");

    private ConfigKeys() {
    }

    /** A key as written in the file, with {@code -} and {@code _} made the same. */
    static String normalize(String key) {
        return key.replace('-', '_');
    }

    /** The key --print-config writes for an option. */
    static String keyOf(OptionSpec option) {
        return normalize(option.longestName().substring(2));
    }

    /** Every key a file may set, normalized, with the option or positional it sets; APP last. */
    static Map<String, ArgSpec> settable(CommandSpec spec) {
        Map<String, ArgSpec> keys = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (isAction(option)) {
                continue;
            }
            for (String name : option.names()) {
                if (name.startsWith("--")) {
                    keys.put(normalize(name.substring(2)), option);
                }
            }
        }
        keys.put(APP, spec.positionalParameters().get(0));
        return keys;
    }

    static boolean isAction(OptionSpec option) {
        return GunicornCommand.ACTIONS.contains(option.longestName());
    }

    /** The action option a key names (e.g. {@code check_config}), or null. */
    static OptionSpec action(CommandSpec spec, String key) {
        OptionSpec option = spec.findOption("--" + normalize(key).replace('_', '-'));
        return option != null && isAction(option) ? option : null;
    }

    /** The known key an unknown one was probably meant to be, or null. */
    static String suggest(String unknown, Collection<String> known) {
        String key = normalize(unknown.toLowerCase(Locale.ROOT));
        if (GUNICORN_NAMES.containsKey(key)) {
            return GUNICORN_NAMES.get(key);
        }
        String best = null;
        int bestDistance = 3; // more than two edits away is a different word, not a typo
        for (String candidate : known) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
