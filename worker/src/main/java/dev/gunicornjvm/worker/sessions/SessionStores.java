package dev.gunicornjvm.worker.sessions;

import java.io.File;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionDataStoreFactory;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionManager;

/**
 * Where the app's HTTP sessions live (--session-store). Jetty's session handlers, in every Servlet
 * environment, take their cache and store from factories registered on the server, so this is the
 * one place that decides it.
 *
 * <ul>
 * <li>{@code memory}: Jetty's default, sessions in this worker's memory only; a request that reaches
 *     another worker, or a new worker after a reload, does not see them.
 * <li>{@code file:DIR}: sessions in files that every worker reads, so a user's requests may land on
 *     any worker. The cache keeps a session only while requests use it (evicted when the last one
 *     ends) and never hands out a copy older than the file ({@link SharedFileSessionCache}), so each
 *     request sees what another worker wrote before it; a new session is written at once, and a
 *     changed one before its response is sent, so the client's next request, on whichever worker,
 *     finds it. A session that was only read is written back at most every
 *     {@value #ACCESS_SAVE_SECONDS} s, to record that it is in use: fewer writes, and fewer chances
 *     for a request that only read it to race with one that changed it.
 * </ul>
 */
public final class SessionStores {
    public static final String MEMORY = "memory";
    public static final String FILE_PREFIX = "file:";
    static final int ACCESS_SAVE_SECONDS = 30;

    private SessionStores() {
    }

    /** Registers the factories for {@code store} on the server, before it starts. */
    public static void install(Server server, String store) {
        install(server, store, ACCESS_SAVE_SECONDS);
    }

    static void install(Server server, String store, int accessSaveSeconds) {
        if (MEMORY.equals(store)) {
            return;
        }
        if (!store.startsWith(FILE_PREFIX)) {
            throw new IllegalArgumentException("bad --session-store '" + store + "'");
        }
        AbstractSessionCacheFactory cache = new AbstractSessionCacheFactory() {
            @Override
            public SessionCache newSessionCache(SessionManager manager) {
                return new SharedFileSessionCache(manager);
            }
        };
        cache.setEvictionPolicy(SessionCache.EVICT_ON_SESSION_EXIT);
        cache.setSaveOnCreate(true);
        cache.setFlushOnResponseCommit(true);
        cache.setRemoveUnloadableSessions(true);
        server.addBean(cache);
        SharedFiles files = new SharedFiles(new File(store.substring(FILE_PREFIX.length())));
        files.setSavePeriodSec(accessSaveSeconds);
        server.addBean(files);
    }

    private static final class SharedFiles extends AbstractSessionDataStoreFactory {
        private final File directory;

        SharedFiles(File directory) {
            this.directory = directory;
        }

        @Override
        public SessionDataStore getSessionDataStore(SessionManager manager) {
            SharedFileSessionDataStore store = new SharedFileSessionDataStore();
            store.setStoreDir(directory);
            store.setDeleteUnrestorableFiles(true);
            store.setGracePeriodSec(getGracePeriodSec());
            store.setSavePeriodSec(getSavePeriodSec());
            return store;
        }
    }
}
