package dev.gunicornjvm.master.systemd;

import dev.gunicornjvm.common.posix.Errno;
import dev.gunicornjvm.common.posix.Posix;
import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * sd_notify for a {@code Type=notify} unit: READY=1 once workers accept, RELOADING=1 during a HUP,
 * STOPPING=1 on the way out, and MAINPID= whenever the master systemd should follow changes in a
 * binary upgrade (so the unit keeps running through it; needs {@code NotifyAccess=all}). Without
 * NOTIFY_SOCKET in the environment it does nothing.
 */
public final class SystemdNotifier {
    public static final String ENV = "NOTIFY_SOCKET";
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final Posix posix;
    private final String socket;
    private final int pid;

    private SystemdNotifier(Posix posix, String socket) {
        this.posix = posix;
        this.socket = socket;
        this.pid = posix.pid();
    }

    public static SystemdNotifier fromEnvironment(Posix posix) {
        String socket = System.getenv(ENV);
        return new SystemdNotifier(posix, socket == null || socket.isEmpty() ? null : socket);
    }

    /** This master serves: it is (again) the main process. */
    public void ready(String status) {
        send("READY=1\nMAINPID=" + pid + "\nSTATUS=" + status);
    }

    public void reloading() {
        send("RELOADING=1\nSTATUS=Reloading");
    }

    public void stopping() {
        send("STOPPING=1\nSTATUS=Stopping");
    }

    private void send(String state) {
        if (socket == null) {
            return;
        }
        try {
            posix.sockets().sendDatagram(socket, state.getBytes(StandardCharsets.UTF_8));
        } catch (Errno | IllegalArgumentException e) {
            LOG.warn("Cannot notify systemd at {}: {}", socket, e.getMessage());
        }
    }
}
