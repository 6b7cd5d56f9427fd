package dev.gunicornjvm.master.reload;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a burst of changes into one reload: a build writes a jar in pieces, or hundreds of class files,
 * and the app must be reloaded once, when the files have been quiet for {@code quietNanos}, not while
 * they are half written. Pure, on a clock it is given, so that tests step time.
 */
final class Debounce {
    private final long quietNanos;
    private final Set<Path> changed = new LinkedHashSet<>();
    private long lastChangeNanos;

    Debounce(long quietNanos) {
        this.quietNanos = quietNanos;
    }

    /** A change seen at {@code nanos}: the quiet period starts again. */
    void changed(Path path, long nanos) {
        changed.add(path);
        lastChangeNanos = nanos;
    }

    boolean pending() {
        return !changed.isEmpty();
    }

    /** How long until {@link #due} may fire, at least 0; only meaningful while {@link #pending()}. */
    long remainingNanos(long nanos) {
        return Math.max(0, lastChangeNanos + quietNanos - nanos);
    }

    /** The paths changed since the last reload, in the order first seen, once quiet long enough; then forgets them. */
    Optional<List<Path>> due(long nanos) {
        if (changed.isEmpty() || nanos - lastChangeNanos < quietNanos) {
            return Optional.empty();
        }
        List<Path> paths = List.copyOf(changed);
        changed.clear();
        return Optional.of(paths);
    }
}
