package dev.gunicornjvm.master.app;

import dev.gunicornjvm.common.posix.FileOwner;
import dev.gunicornjvm.common.posix.Posix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The private directory where, by default, every worker keeps the app's HTTP sessions, so that a
 * user's requests may land on any worker, and on new workers after HUP. It outlives this master when
 * a USR2 upgrade hands it to the new master (upgrade/Handover), and is removed when the last master of
 * it stops. Session files are serialised Java objects that workers read back, so nobody else may write
 * here: the directory is made by {@code mkdtemp} (0700), and one handed over is used only if it is
 * still ours and private.
 */
public final class SessionDirectory {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final Posix posix;
    private final FileOwner owner;
    private Path directory;

    /**
     * @param inherited the directory the old master handed over, or null
     * @param owner     the workers' user (-u), who must own it; or null
     */
    public SessionDirectory(Posix posix, Path inherited, FileOwner owner) {
        this.posix = posix;
        this.owner = owner;
        if (inherited != null) {
            if (isPrivate(inherited)) {
                directory = inherited;
                LOG.debug("Sessions stay in {}", inherited);
            } else {
                LOG.warn("Not using the session directory {} handed over: it is gone, or not private to us", inherited);
            }
        }
    }

    /**
     * The worker's --session-store argument: "memory", or "file:DIR".
     *
     * @throws UncheckedIOException when the directory cannot be made, or others may write to it
     */
    public String storeArgument(SessionStore store) {
        if (store.memory()) {
            return "memory";
        }
        return "file:" + (store.directory() != null ? checked(store.directory()) : privateDirectory());
    }

    /**
     * A --session-store file:DIR: made private to the workers' user if it does not exist, and refused if
     * others may write to it, since workers deserialise what they find there.
     */
    private Path checked(Path dir) {
        try {
            PrivateDirectory.ensure(posix, dir, owner);
            if (PrivateDirectory.othersMayWrite(dir)) {
                throw new IOException("it may be written by others (make it private: chmod go-w " + dir + ")");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep sessions in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The private directory, made at first use; null if none was made. */
    public Path path() {
        return directory;
    }

    private Path privateDirectory() {
        if (directory == null) {
            try {
                directory = PrivateDirectory.createTemp(posix, "gunicorn-jvm-sessions-" + posix.pid() + "-", owner);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a private directory for sessions: " + e.getMessage(), e);
            }
        }
        return directory;
    }

    private boolean isPrivate(Path dir) {
        try {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return a.isDirectory() && a.permissions().equals(PrivateDirectory.OWNER_ONLY)
                    && uid == (owner != null ? owner.uid() : posix.uid());
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes the sessions, unless another master of an upgrade still serves them. */
    public void cleanUp(boolean shared) {
        if (directory != null && !shared) {
            PrivateDirectory.delete(directory);
        }
    }
}
