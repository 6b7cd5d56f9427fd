package dev.gunicornjvm.common.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/**
 * Where a master's control socket is and how messages are written: newline-delimited JSON, one request
 * and one response per connection.
 *
 * <p>Each master has its own socket, {@code PIDFILE.ctl/PID.sock}, in a directory only its user may
 * enter, so the two masters of an upgrade never touch each other's socket and gunictl finds either one
 * from the pidfile ({@code PIDFILE}, or {@code PIDFILE.oldbin} for the old master).
 */
public final class ControlProtocol {
    public static final int VERSION = 1;
    /** A request longer than this is refused; real ones are a few dozen bytes. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** A client that has not sent its whole request by then is dropped. */
    public static final long READ_TIMEOUT_MILLIS = 5000;

    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ControlProtocol() {
    }

    /** The directory holding the control sockets of the masters that use this pidfile ({@link ControlPaths}). */
    public static Path directory(Path pidFile) {
        return ControlPaths.directory(pidFile);
    }

    public static Path socket(Path directory, int pid) {
        return ControlPaths.socket(directory, pid);
    }
}
