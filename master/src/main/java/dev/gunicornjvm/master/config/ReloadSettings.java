package dev.gunicornjvm.master.config;

import java.nio.file.Path;
import java.util.List;

/**
 * --reload and --reload-extra-file: for development, the master starts a new generation (as on HUP)
 * once the app's files, the config file or the extra files change.
 *
 * @param enabled    --reload
 * @param extraFiles --reload-extra-file, absolute; watched only with --reload
 */
public record ReloadSettings(boolean enabled, List<Path> extraFiles) {
    public static final ReloadSettings OFF = new ReloadSettings(false, List.of());

    public ReloadSettings {
        extraFiles = List.copyOf(extraFiles);
    }
}
