package dev.gunicornjvm.master.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The thread of --reload: it watches the directories that hold the watched files (so that a file
 * replaced by a rename, or a ConfigMap's symlink swap, is seen, which a watch on the file itself would
 * miss), and every directory of a watched tree. It only reports: each quiet burst of changes is handed
 * to {@code changes} once, as a list of paths; the master's loop does the reload.
 *
 * <p>A watched file counts as changed when its {@link FileStamp} does; the stamps are compared after
 * every wake-up and at least once a second, so that a file system whose events do not reach the
 * WatchService (some network and overlay mounts) still reloads, a second late. In a tree any event counts.
 */
final class ChangeWatcher implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    /** The longest wait between comparisons of the watched files' stamps. */
    static final long POLL_MILLIS = 1000;

    private final WatchService service;
    private final Debounce debounce;
    private final LongSupplier clock;
    private final Consumer<List<Path>> changes;
    private final Thread thread;
    private volatile WatchSet wanted;
    private volatile boolean closed;

    /** What is watched now: written only by the watcher's thread, volatile for {@link #watching()}. */
    private volatile WatchSet watching = WatchSet.NONE;
    // Only the watcher's thread touches these.
    private final Map<WatchKey, Path> keys = new HashMap<>();
    private final Map<Path, FileStamp> stamps = new HashMap<>();

    private ChangeWatcher(WatchSet set, long quietNanos, LongSupplier clock, Consumer<List<Path>> changes)
            throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.debounce = new Debounce(quietNanos);
        this.clock = clock;
        this.changes = changes;
        this.wanted = set;
        this.thread = new Thread(this::run, "reload-watcher");
        thread.setDaemon(true); // it must never keep a stopping master alive
    }

    /**
     * Starts watching; the files' stamps are taken before this returns, so that any later change is seen.
     *
     * @param changes called on the watcher's thread with the paths of each quiet burst of changes
     */
    static ChangeWatcher start(WatchSet set, long quietNanos, LongSupplier clock, Consumer<List<Path>> changes)
            throws IOException {
        ChangeWatcher watcher = new ChangeWatcher(set, quietNanos, clock, changes);
        watcher.register(set);
        watcher.thread.start();
        return watcher;
    }

    /** Watches this set from now on (within a second); the stamps of files in both sets are kept. */
    void watch(WatchSet set) {
        wanted = set;
    }

    /** The set being watched: the one given to {@link #watch} once the thread has taken it up. */
    WatchSet watching() {
        return watching;
    }

    private void run() {
        try {
            while (!closed) {
                WatchSet set = wanted;
                if (!set.equals(watching)) {
                    register(set);
                } else {
                    registerMissing();
                }
                long waitMillis = debounce.pending()
                        ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(debounce.remainingNanos(clock.getAsLong())) + 1)
                        : POLL_MILLIS;
                WatchKey key = service.poll(waitMillis, TimeUnit.MILLISECONDS);
                while (key != null) {
                    handle(key);
                    key = service.poll();
                }
                compareFiles();
                debounce.due(clock.getAsLong()).ifPresent(paths -> {
                    if (!closed) {
                        changes.accept(paths);
                    }
                });
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            LOG.error("--reload stopped watching for changes: {}", e.toString(), e);
        }
    }

    private void handle(WatchKey key) {
        Path dir = keys.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (dir == null) {
                continue;
            }
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                if (watching.treeOf(dir) != null) {
                    debounce.changed(dir, clock.getAsLong()); // lost events: something in the tree changed
                }
                continue;
            }
            Path child = dir.resolve((Path) event.context());
            if (watching.treeOf(child) == null) {
                continue; // a directory of watched files: their stamps tell (a temporary file next to a jar does not count)
            }
            debounce.changed(child, clock.getAsLong());
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                registerTree(child); // a new package directory of classes
            }
        }
        if (!key.reset()) {
            keys.remove(key); // the directory is gone; registerMissing() watches it again if it comes back
        }
    }

    private void compareFiles() {
        for (Path file : watching.files()) {
            FileStamp now = FileStamp.of(file);
            if (!now.equals(stamps.put(file, now))) {
                debounce.changed(file, clock.getAsLong());
            }
        }
    }

    private void register(WatchSet set) {
        keys.keySet().forEach(WatchKey::cancel);
        keys.clear();
        Map<Path, FileStamp> before = new HashMap<>(stamps);
        stamps.clear();
        for (Path file : set.files()) {
            FileStamp known = before.get(file);
            stamps.put(file, known != null ? known : FileStamp.of(file));
            registerDirectory(file.getParent());
        }
        set.trees().forEach(this::registerTree);
        watching = set;
    }

    /**
     * Directories that were missing or deleted (a clean build removes target/classes) are watched again
     * once they exist; a tree that came back counts as changed.
     */
    private void registerMissing() {
        if (allRootsWatched()) {
            return;
        }
        for (Path file : watching.files()) {
            if (!keys.containsValue(file.getParent())) {
                registerDirectory(file.getParent());
            }
        }
        for (Path tree : watching.trees()) {
            if (!keys.containsValue(tree) && Files.isDirectory(tree)) {
                registerTree(tree);
                debounce.changed(tree, clock.getAsLong());
            }
        }
    }

    private boolean allRootsWatched() {
        return watching.trees().stream().allMatch(keys::containsValue)
                && watching.files().stream().allMatch(f -> keys.containsValue(f.getParent()));
    }

    private void registerTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    registerDirectory(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // not there (yet): registerMissing() tries again
        }
    }

    private void registerDirectory(Path dir) {
        if (dir == null || keys.containsValue(dir)) {
            return;
        }
        try {
            WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
            keys.put(key, dir);
        } catch (IOException e) {
            LOG.debug("--reload cannot watch {} (yet): {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            service.close(); // wakes the thread, which ends
        } catch (IOException e) {
            LOG.debug("Closing the --reload watch service: {}", e.toString());
        }
    }
}
