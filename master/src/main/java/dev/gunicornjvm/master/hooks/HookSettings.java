package dev.gunicornjvm.master.hooks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server hooks: a Java class (--hooks) and shell commands per master event (--on-starting, ...).
 *
 * @param javaClass      the --hooks class, on -cp, or null for none
 * @param commands       the shell command per event, by Gunicorn's event name (on_starting, ...)
 * @param timeoutSeconds --hook-timeout: how long the master waits for a hook, and when a command is killed
 */
public record HookSettings(String javaClass, Map<String, String> commands, int timeoutSeconds) {
    /** The events a shell command may be given for, in the order of their options; all are the master's. */
    public static final List<String> SHELL_EVENTS = List.of("on_starting", "when_ready", "on_reload", "pre_fork",
            "post_worker_init", "worker_abort", "worker_exit", "child_exit", "nworkers_changed", "on_exit");

    public static final int DEFAULT_TIMEOUT_SECONDS = 10;
    public static final HookSettings NONE = new HookSettings(null, Map.of(), DEFAULT_TIMEOUT_SECONDS);

    public HookSettings {
        for (String event : commands.keySet()) {
            if (!SHELL_EVENTS.contains(event)) {
                throw new IllegalArgumentException("no shell hook for event " + event);
            }
        }
        commands = Collections.unmodifiableMap(new LinkedHashMap<>(commands));
    }

    public long timeoutMillis() {
        return timeoutSeconds * 1000L;
    }

    /** The config-file keys and values, as --print-config prints them: strings, and the timeout as a number. */
    public Map<String, Object> configValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        if (javaClass != null) {
            values.put("hooks", javaClass);
        }
        values.put("hook_timeout", timeoutSeconds);
        commands.forEach(values::put);
        return values;
    }
}
