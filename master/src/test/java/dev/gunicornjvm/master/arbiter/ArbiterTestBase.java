package dev.gunicornjvm.master.arbiter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A harness per test, closed after it; {@link #boot} starts the workers and makes them ready. */
abstract class ArbiterTestBase {
    @TempDir
    Path dir;
    ArbiterHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    /** An arbiter whose first workers are spawned and ready; returns their pids. */
    List<Integer> boot(String... args) throws IOException {
        h = new ArbiterHarness(dir, 0, args);
        h.settle();
        return h.allReady(List.copyOf(h.processes.spawned));
    }
}
