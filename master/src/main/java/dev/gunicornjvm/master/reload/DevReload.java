package dev.gunicornjvm.master.reload;

import dev.gunicornjvm.master.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * --reload, as the arbiter sees it: it follows the current generation's settings (a reload that changes
 * -cp or turns --reload off changes what is watched) and hands each quiet burst of changes to
 * {@code changes}, which the arbiter turns into an event on its loop and handles like a HUP. Only the
 * arbiter's thread calls this class; the watching happens on a {@link ChangeWatcher}'s own thread.
 */
public final class DevReload implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    /**
     * Changes closer together than this make one reload (Gunicorn has no such setting, so neither is this
     * one): long enough for a build that writes many class files or a jar in pieces, short enough not to
     * be noticed while developing.
     */
    static final long QUIET_MILLIS = 1000;

    private final Consumer<List<Path>> changes;
    private Settings followed;
    private WatchSet watched = WatchSet.NONE;
    private ChangeWatcher watcher;
    private boolean closed;

    /** @param changes called on the watcher's thread: it must only hand the paths over to the arbiter's loop */
    public DevReload(Consumer<List<Path>> changes) {
        this.changes = changes;
    }

    /** Called on every pass of the arbiter's loop; costs nothing until the settings are other ones. */
    public void follow(Settings settings) {
        if (settings == followed || closed) {
            return;
        }
        followed = settings;
        WatchSet set = WatchSet.of(settings);
        if (set.equals(watched)) {
            return;
        }
        watched = set;
        if (watcher == null && !set.isEmpty()) {
            try {
                watcher = ChangeWatcher.start(set, TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS), System::nanoTime, changes);
            } catch (IOException e) {
                LOG.error("--reload cannot watch files, reload with HUP instead: {}", e.toString());
                return;
            }
        } else if (watcher != null) {
            watcher.watch(set);
        }
        if (!set.isEmpty()) {
            LOG.info("Reloading on changes of {} files and {} directories (--reload)", set.files().size(), set.trees().size());
        }
    }

    /** The log line of a reload caused by these changes: Gunicorn's, with the path. */
    public static void log(List<Path> changed) {
        LOG.info("Reloading: {} changed{}", changed.get(0),
                changed.size() > 1 ? " (and " + (changed.size() - 1) + " more)" : "");
    }

    @Override
    public void close() {
        closed = true;
        if (watcher != null) {
            watcher.close();
        }
    }
}
