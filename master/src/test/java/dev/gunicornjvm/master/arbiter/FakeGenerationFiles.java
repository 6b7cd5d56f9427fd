package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.app.ServletEnvironment;
import dev.gunicornjvm.master.app.StagedApp;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.socket.Listener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Generations whose files are only paths; staging can be made to fail, as a corrupt WAR would. */
final class FakeGenerationFiles implements GenerationFiles {
    private final Path dir;
    IOException createFailure;
    IOException ensureFailure;
    /** How often the files were made again (or tried). */
    int ensureCalls;
    Set<Integer> retained = Set.of();

    FakeGenerationFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public Generation create(int number, Settings settings, List<Listener> listeners) throws IOException {
        if (createFailure != null) {
            throw createFailure;
        }
        return new Generation(number, settings, listeners, dir.resolve("worker-" + number + ".args"), Optional.empty(),
                new StagedApp(ServletEnvironment.DEFAULT, null, List.of(), dir.resolve("generation-" + number)));
    }

    @Override
    public void ensure(Generation generation) throws IOException {
        ensureCalls++;
        if (ensureFailure != null) {
            throw ensureFailure;
        }
    }

    @Override
    public void retainOnly(Set<Integer> inUse) {
        retained = Set.copyOf(inUse);
    }
}
