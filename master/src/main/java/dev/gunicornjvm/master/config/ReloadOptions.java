package dev.gunicornjvm.master.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Reloading on code changes, for development, with Gunicorn's names. A picocli mixin of {@link GunicornCommand}. */
final class ReloadOptions {
    @Option(names = "--reload",
            description = "Development: reload (as on HUP) when a -cp entry (a jar, or any file under a directory),"
                    + " the WAR or webapp directory, the -c file or a --reload-extra-file changes; changes within"
                    + " 1 s of each other make one reload. Not with --preload.")
    boolean reload;

    /** Gunicorn's option is --reload-extra-file and its setting reload_extra_files: both names work. */
    @Option(names = {"--reload-extra-file", "--reload-extra-files"}, paramLabel = "FILE",
            description = "A further file (or directory) whose change reloads, with --reload. Repeatable.")
    List<String> extraFiles = new ArrayList<>();

    /** @throws IllegalArgumentException for --reload with --preload, whose workers never see new code on HUP */
    ReloadSettings settings(boolean preload) {
        if (reload && preload) {
            throw new IllegalArgumentException("--reload cannot be used with --preload (a preloaded app only changes"
                    + " with USR2; drop one of them)");
        }
        List<Path> extra = extraFiles.stream().filter(s -> !s.isEmpty()).map(s -> Path.of(s).toAbsolutePath()).toList();
        return new ReloadSettings(reload, extra);
    }
}
