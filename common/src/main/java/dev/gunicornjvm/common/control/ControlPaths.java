package dev.gunicornjvm.common.control;

import java.nio.file.Path;

/**
 * Where the masters' control sockets are: {@code PIDFILE.ctl/PID.sock}. Apart from {@link ControlProtocol}
 * so that a client that only needs a path (gunictl) does not also pay for the JSON mapper that class
 * builds when it is loaded.
 */
public final class ControlPaths {
    private ControlPaths() {
    }

    /** The directory holding the control sockets of the masters that use this pidfile. */
    public static Path directory(Path pidFile) {
        return Path.of(pidFile.toAbsolutePath() + ".ctl");
    }

    public static Path socket(Path directory, int pid) {
        return directory.resolve(pid + ".sock");
    }
}
