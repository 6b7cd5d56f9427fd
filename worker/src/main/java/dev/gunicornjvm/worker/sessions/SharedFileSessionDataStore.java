package dev.gunicornjvm.worker.sessions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.session.FileSessionDataStore;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.eclipse.jetty.session.UnwriteableSessionDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's file session store, made safe for many processes sharing one directory: every worker of a
 * master, and the next master's after USR2.
 *
 * <p>Jetty's {@link FileSessionDataStore} is written for one process. It indexes the directory once,
 * at start, and afterwards only knows the files it wrote itself, so a session created by another
 * worker is "unknown"; and it names each file after the session's expiry, deleting the old file and
 * writing a new one on every save, so a reader in another process can find no file, or half of one.
 * Here each session has one file whose name never changes, {@code CONTEXT_VHOST_ID}, looked up on
 * disk at every load, and each save writes a temporary file and renames it over the old one: a
 * reader sees the whole previous version or the whole new one. Jetty's own serialisation (its
 * {@code save} and {@code load}) is kept, so the files hold what Jetty's store would write.
 *
 * <p>It also remembers which version of each file this worker last read or wrote (its inode,
 * modification time in nanoseconds and size: a save is a new file), so that the cache can tell a
 * session another worker saved since ({@link #isCurrent}), and a save that would only record an
 * access on a copy older than the file is skipped rather than undoing the other worker's change.
 */
public class SharedFileSessionDataStore extends FileSessionDataStore {
    private static final Logger LOG = LoggerFactory.getLogger(SharedFileSessionDataStore.class);
    /** Temporary files start with a dot; no session file does (its name starts with the context path). */
    private static final String TEMPORARY = ".";
    private static final int READ_ATTEMPTS = 5;

    /** Session id to the version of its file this worker last read or wrote. */
    private final Map<String, FileVersion> versions = new ConcurrentHashMap<>();

    /** A save is a new file: its identity, time of modification and size tell one save from another. */
    private record FileVersion(Object fileKey, long modifiedNanos, long size) {
    }

    @Override
    public void initializeStore() throws Exception {
        if (_storeDir == null) {
            throw new IllegalStateException("No session directory given");
        }
        Path dir = _storeDir.toPath();
        Files.createDirectories(dir);
        if (!Files.isReadable(dir) || !Files.isWritable(dir)) {
            throw new IllegalStateException(dir + " must be a directory this worker can read and write");
        }
    }

    private Path fileOf(String id) {
        return _storeDir.toPath().resolve(getIdWithContext(id));
    }

    /** The version of the file; null when there is none. */
    private static FileVersion version(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileVersion(a.fileKey(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size());
        } catch (IOException e) {
            return null;
        }
    }

    /** False if another process saved (or deleted) the session since this one last read or wrote it. */
    public boolean isCurrent(String id) {
        return Objects.equals(versions.get(id), version(fileOf(id)));
    }

    /** Reads the file, and remembers its version if it did not change while it was read. */
    @Override
    public SessionData doLoad(String id) throws Exception {
        Path file = fileOf(id);
        for (int attempt = 1; ; attempt++) {
            FileVersion before = version(file);
            if (before == null) {
                versions.remove(id);
                return null;
            }
            SessionData data = read(id, file);
            if (data == null) {
                versions.remove(id);
                return null;
            }
            if (before.equals(version(file)) || attempt == READ_ATTEMPTS) {
                versions.put(id, before);
                data.setLastSaved(TimeUnit.NANOSECONDS.toMillis(before.modifiedNanos()));
                return data;
            }
        }
    }

    /** The session as its file holds it now, or null; remembers nothing (the cache does not get it). */
    private SessionData read(String id, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, id);
        } catch (NoSuchFileException e) {
            return null;
        } catch (UnreadableSessionDataException e) {
            if (isDeleteUnrestorableFiles()) {
                Files.deleteIfExists(file);
                LOG.warn("Deleted unrestorable file for session {}", id);
            }
            throw e;
        }
    }

    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
        Path file = fileOf(id);
        if (!data.isDirty() && lastSaveTime > 0 && !isCurrent(id)) {
            // Only the access time changed, on a copy older than what another worker saved since:
            // writing it would undo that worker's change. Its save recorded a recent access anyway.
            return;
        }
        Path temporary = file.resolveSibling(TEMPORARY + file.getFileName() + "." + ProcessHandle.current().pid()
                + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                save(out, id, data);
            }
            FileVersion version = version(temporary); // a rename keeps the inode and the time
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            versions.put(id, version);
        } catch (Exception e) {
            Files.deleteIfExists(temporary);
            throw new UnwriteableSessionDataException(id, _context, e);
        }
    }

    @Override
    public boolean delete(String id) throws Exception {
        versions.remove(id);
        return Files.deleteIfExists(fileOf(id));
    }

    @Override
    public boolean doExists(String id) throws Exception {
        SessionData data = read(id, fileOf(id));
        return data != null && !expiredBy(data, System.currentTimeMillis());
    }

    /** Of the sessions this worker holds, those that expired or that another process deleted. */
    @Override
    public Set<String> doCheckExpired(Set<String> candidates, long time) {
        Set<String> expired = new HashSet<>();
        for (String id : candidates) {
            try {
                SessionData data = read(id, fileOf(id));
                if (data == null || expiredBy(data, time)) {
                    expired.add(id);
                }
            } catch (Exception e) {
                LOG.warn("Cannot check whether session {} expired: {}", id, e.toString());
            }
        }
        return expired;
    }

    /** Sessions of this context, held here or not, that expired before the time limit. */
    @Override
    public Set<String> doGetExpired(long timeLimit) {
        Set<String> expired = new HashSet<>();
        String prefix = getIdWithContext("");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(_storeDir.toPath(), prefix + "*")) {
            for (Path file : files) {
                String id = file.getFileName().toString().substring(prefix.length());
                try {
                    SessionData data = read(id, file);
                    if (data != null && expiredBy(data, timeLimit)) {
                        expired.add(id);
                    }
                } catch (Exception e) {
                    LOG.debug("Cannot read session file {}: {}", file, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the session directory {}: {}", _storeDir, e.toString());
        }
        return expired;
    }

    /**
     * Expired sessions of this context are deleted by {@link #doGetExpired}'s callers; what is left is
     * temporary files of saves that a crash interrupted.
     */
    @Override
    public void doCleanOrphans(long time) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(_storeDir.toPath(), TEMPORARY + "*")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toMillis() <= time) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.debug("Cannot clean the session directory {}: {}", _storeDir, e.toString());
        }
    }

    private static boolean expiredBy(SessionData data, long time) {
        return data.getExpiry() > 0 && data.getExpiry() <= time;
    }
}
