package dev.gunicornjvm.master.config;

import dev.gunicornjvm.common.hooks.HooksLoader;
import dev.gunicornjvm.master.hooks.HookSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Gunicorn's server hooks: a Java class for every event, and shell commands for the master's events. A
 * picocli mixin of {@link GunicornCommand}; see docs/hooks.md.
 */
final class HookOptions {
    @Option(names = "--hooks", paramLabel = "CLASS",
            description = "A class on -cp implementing dev.gunicornjvm.hooks.ServerHooks (public, with a public"
                    + " no-argument constructor): its methods run on the server's events, in the master and in"
                    + " each worker.")
    String hooksClass;

    @Option(names = "--hook-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long the master or a worker waits for a hook before going on without it; a shell"
                    + " hook still running then is killed. Default: ${DEFAULT-VALUE}.")
    int hookTimeout;

    @Option(names = "--on-starting", paramLabel = "CMD", description = "Shell command run as the master starts.")
    String onStarting;

    @Option(names = "--when-ready", paramLabel = "CMD",
            description = "Shell command run once the first workers accept.")
    String whenReady;

    @Option(names = "--on-reload", paramLabel = "CMD", description = "Shell command run when a HUP reloads.")
    String onReload;

    @Option(names = "--pre-fork", paramLabel = "CMD", description = "Shell command run before each worker is spawned.")
    String preFork;

    @Option(names = "--post-worker-init", paramLabel = "CMD",
            description = "Shell command run (by the master) when a worker starts accepting.")
    String postWorkerInit;

    @Option(names = "--worker-abort", paramLabel = "CMD",
            description = "Shell command run when a worker is killed for --timeout or --boot-timeout.")
    String workerAbort;

    @Option(names = "--worker-exit", paramLabel = "CMD", description = "Shell command run after a worker exited.")
    String workerExit;

    @Option(names = "--child-exit", paramLabel = "CMD",
            description = "Shell command run after a worker process exited (after --worker-exit's).")
    String childExit;

    @Option(names = "--nworkers-changed", paramLabel = "CMD",
            description = "Shell command run when the number of workers wanted changes.")
    String nworkersChanged;

    @Option(names = "--on-exit", paramLabel = "CMD", description = "Shell command run as the master exits.")
    String onExit;

    /**
     * The hook settings, the --hooks class checked on the classpath (loaded, not run).
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    HookSettings hooks(List<Path> classpath) {
        OptionValues.positive("--hook-timeout", hookTimeout);
        String[] commands = {onStarting, whenReady, onReload, preFork, postWorkerInit, workerAbort, workerExit,
                childExit, nworkersChanged, onExit};
        Map<String, String> byEvent = new LinkedHashMap<>();
        for (int i = 0; i < commands.length; i++) {
            if (commands[i] != null && !commands[i].isBlank()) {
                byEvent.put(HookSettings.SHELL_EVENTS.get(i), commands[i]);
            }
        }
        String javaClass = hooksClass == null || hooksClass.isBlank() ? null : hooksClass.trim();
        if (javaClass != null) {
            HooksLoader.check(javaClass, classpath);
        }
        return new HookSettings(javaClass, byEvent, hookTimeout);
    }
}
