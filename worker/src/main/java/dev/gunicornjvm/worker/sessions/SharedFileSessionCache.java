package dev.gunicornjvm.worker.sessions;

import java.util.function.Function;
import org.eclipse.jetty.session.DefaultSessionCache;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionManager;

/**
 * Jetty's session cache, which never hands out a copy older than what another worker saved: before a
 * cached session is used, the store says whether its file is still the version this worker read or
 * wrote, and if not the copy is dropped and the session read again.
 *
 * <p>The cache also evicts a session when its last request ends, so most requests read it anyway; the
 * check covers what eviction alone leaves open: a worker whose previous request for the session has
 * sent its response but not yet released the session when the user's next request arrives.
 */
final class SharedFileSessionCache extends DefaultSessionCache {
    SharedFileSessionCache(SessionManager manager) {
        super(manager);
    }

    @Override
    protected ManagedSession doComputeIfAbsent(String id, Function<String, ManagedSession> load) {
        if (doGet(id) != null && getSessionDataStore() instanceof SharedFileSessionDataStore store
                && !store.isCurrent(id)) {
            doDelete(id);
        }
        return super.doComputeIfAbsent(id, load);
    }
}
