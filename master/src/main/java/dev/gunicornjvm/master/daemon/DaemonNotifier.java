package dev.gunicornjvm.master.daemon;

import dev.gunicornjvm.common.posix.InheritedFd;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The daemonized master's side of the pipe to the command that started it: one line, "ready" once the
 * first workers accept, or "failed CODE REASON", after which the starting command exits. A master
 * that was not daemonized has no pipe and says nothing.
 */
public final class DaemonNotifier {
    /** Names the fd of the pipe in the daemon's environment; workers never see it. */
    public static final String ENV = "GUNICORN_DAEMON_NOTIFY_FD";

    private OutputStream pipe;

    private DaemonNotifier(OutputStream pipe) {
        this.pipe = pipe;
    }

    public static DaemonNotifier fromEnvironment() {
        String fd = System.getenv(ENV);
        if (fd == null) {
            return new DaemonNotifier(null);
        }
        return new DaemonNotifier(new FileOutputStream(InheritedFd.of(Integer.parseInt(fd))));
    }

    public boolean daemonized() {
        return pipe != null;
    }

    public void ready() {
        say("ready");
    }

    public void failed(int code, String reason) {
        say("failed " + code + " " + reason.replace('\n', ' '));
    }

    /** Says one thing, once: the starting command stops listening after the first line. */
    private void say(String line) {
        if (pipe == null) {
            return;
        }
        try (OutputStream out = pipe) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // The starting command is gone (killed); the daemon serves on regardless.
        }
        pipe = null;
    }
}
