package dev.gunicornjvm.common.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * HotSpot's attach socket, {@code /tmp/.java_pidPID}: what {@code jcmd} connects to. A JVM run with -Xrs
 * (the master, every worker, the training run) opens it at start-up, and removes it when it exits or
 * halts; a JVM killed with SIGKILL cannot, and the socket stays in /tmp for good. HotSpot always uses
 * /tmp, whatever TMPDIR or java.io.tmpdir say. So whoever kills a JVM with SIGKILL removes it.
 */
public final class AttachSocket {
    private AttachSocket() {
    }

    /**
     * Removes the attach socket of a JVM that is gone (killed and reaped). Does nothing while a process
     * with that pid runs, which may be a new JVM that reused it, and never removes anything but a socket.
     */
    public static void removeLeftOver(int pid) {
        if (ProcessIdentity.of(pid).isPresent()) {
            return;
        }
        Path socket = Path.of("/tmp/.java_pid" + pid);
        try {
            if (Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            // None there (the usual case), or not ours to remove.
        }
    }
}
