package dev.gunicornjvm.master.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The debounce of --reload on a clock the test steps. */
class DebounceTest {
    private static final long MS = 1_000_000L;
    private final Debounce debounce = new Debounce(1000 * MS);
    private final Path jar = Path.of("/app/app.jar");
    private final Path classes = Path.of("/app/classes/a/B.class");

    @Test
    void nothingChangedNothingIsDue() {
        assertFalse(debounce.pending());
        assertEquals(Optional.empty(), debounce.due(5000 * MS));
    }

    @Test
    void aBurstOfChangesIsOneReloadOnceQuietForTheWholePeriod() {
        long t = 10_000 * MS;
        for (int i = 0; i < 20; i++) { // a jar written in pieces, 100 ms apart: 1.9 s in all
            debounce.changed(jar, t);
            assertEquals(Optional.empty(), debounce.due(t + 99 * MS), "not while the writes go on");
            t += 100 * MS;
        }
        debounce.changed(classes, t);
        assertEquals(Optional.empty(), debounce.due(t + 999 * MS), "a second after the last change, not the first");
        assertEquals(1 * MS, debounce.remainingNanos(t + 999 * MS));
        assertEquals(Optional.of(List.of(jar, classes)), debounce.due(t + 1000 * MS), "each path once, first seen first");
        assertFalse(debounce.pending());
        assertEquals(Optional.empty(), debounce.due(t + 5000 * MS), "one reload per burst");
    }

    @Test
    void changesAfterAReloadAreTheNextBurst() {
        debounce.changed(jar, 0);
        assertTrue(debounce.due(1000 * MS).isPresent());
        debounce.changed(classes, 1500 * MS);
        assertTrue(debounce.pending());
        assertEquals(Optional.empty(), debounce.due(2000 * MS));
        assertEquals(Optional.of(List.of(classes)), debounce.due(2500 * MS));
    }

    @Test
    void worksAcrossTheWrapOfNanoTime() {
        long t = Long.MAX_VALUE - 500 * MS;
        debounce.changed(jar, t);
        assertEquals(Optional.empty(), debounce.due(t + 999 * MS));
        assertEquals(Optional.of(List.of(jar)), debounce.due(t + 1000 * MS));
    }
}
