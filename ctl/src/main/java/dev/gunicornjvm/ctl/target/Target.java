package dev.gunicornjvm.ctl.target;

import dev.gunicornjvm.common.control.ControlPaths;
import java.nio.file.Path;

/**
 * Where to look for masters: the pidfile (the server's default {@code gunicorn.pid}, so that one
 * directory needs no flags) and the control-socket directory ({@code PIDFILE.ctl} unless the master was
 * started with {@code --control-dir}).
 *
 * @param pidFile    -p/--pid
 * @param controlDir --control-dir, or null for the default next to the pidfile
 */
public record Target(Path pidFile, Path controlDir) {
    /** Where the old master of an upgrade keeps its pid ({@code PIDFILE.oldbin}, as nginx does). */
    public Path oldbin() {
        return Path.of(pidFile + ".oldbin");
    }

    public Path controlDirectory() {
        return controlDir != null ? controlDir.toAbsolutePath() : ControlPaths.directory(pidFile);
    }
}
