package dev.gunicornjvm.ctl.upgrade;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * Remembers whether PIDFILE.oldbin appeared at any moment since it started. When the new master cannot
 * start at all, the old master renames its pidfile to .oldbin and back within milliseconds; polling would
 * miss that and wait out the whole timeout, but inotify (the JDK's WatchService on Linux) queues the
 * event, so gunictl can tell "the upgrade already failed" from "USR2 not handled yet".
 */
final class OldbinWatch implements AutoCloseable {
    private final Path oldbin;
    /** Null if inotify is unavailable (e.g. out of watches): then only polling sees the file. */
    private final WatchService service;
    private boolean appeared;

    private OldbinWatch(Path oldbin, WatchService service) {
        this.oldbin = oldbin;
        this.service = service;
    }

    /** Starts watching; call before sending USR2 so that nothing is missed. */
    static OldbinWatch start(Path oldbin) {
        Path file = oldbin.toAbsolutePath();
        WatchService service = null;
        try {
            service = file.getFileSystem().newWatchService();
            file.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE);
        } catch (IOException | RuntimeException e) {
            close(service);
            service = null;
        }
        return new OldbinWatch(file, service);
    }

    /** True once PIDFILE.oldbin has existed since the watch started (a rename onto it counts). */
    boolean appeared() {
        if (Files.exists(oldbin)) {
            appeared = true;
        }
        if (service != null) {
            WatchKey key;
            while ((key = service.poll()) != null) {
                for (WatchEvent<?> event : key.pollEvents()) {
                    // An OVERFLOW says nothing about which file; the polling above still covers it.
                    if (oldbin.getFileName().equals(event.context())) {
                        appeared = true;
                    }
                }
                key.reset();
            }
        }
        return appeared;
    }

    @Override
    public void close() {
        close(service);
    }

    private static void close(WatchService service) {
        if (service != null) {
            try {
                service.close();
            } catch (IOException ignored) {
                // Only the watch thread stops; nothing else depends on it.
            }
        }
    }
}
