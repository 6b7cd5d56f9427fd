package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.posix.FileOwner;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.master.app.AppStager;
import dev.gunicornjvm.master.app.PrivateDirectory;
import dev.gunicornjvm.master.app.StagedApp;
import dev.gunicornjvm.master.cds.CdsArchive;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.socket.Listener;
import dev.gunicornjvm.master.spawn.WorkerLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Generations staged in the master's runtime directory: RUNTIME_DIR/generation-N holds the app as its
 * workers see it (a WAR unpacked), RUNTIME_DIR/worker-N.args their command line.
 */
final class StagedGenerations implements GenerationFiles {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final Posix posix;
    private final Path runtimeDir;
    private final AppStager stager;
    private final WorkerLauncher launcher;
    /** Generations whose argfile, settings and TLS keys are in the runtime directory. */
    private final Set<Integer> written = new java.util.HashSet<>();

    StagedGenerations(Posix posix, Path runtimeDir, WorkerLauncher launcher) {
        this.posix = posix;
        this.runtimeDir = runtimeDir;
        this.stager = new AppStager(posix, runtimeDir);
        this.launcher = launcher;
    }

    @Override
    public Generation create(int number, Settings settings, List<Listener> listeners) throws IOException {
        StagedApp app = stager.stage(number, settings.app(), owner(settings));
        Optional<CdsArchive> cds = CdsArchive.of(settings.workerCdsDir(), settings.app().source().shortName(),
                settings.workerJava(), settings.workerJavaOptions(), launcher.workerClasspath(app.environment()), settings.app().files());
        Path argFile = launcher.writeArgFile(settings, app, listeners, number);
        written.add(number);
        return new Generation(number, settings, listeners, argFile, cds, app);
    }

    @Override
    public void ensure(Generation generation) throws IOException {
        if (Files.exists(generation.argFile()) && Files.exists(WorkerLauncher.settingsFile(generation.argFile()))) {
            return;
        }
        LOG.warn("Generation {}'s files are gone from {} (removed by a tmp cleaner?); making them again",
                generation.number(), runtimeDir);
        Settings settings = generation.settings();
        PrivateDirectory.ensure(posix, runtimeDir, owner(settings));
        try {
            // The same paths as before: the argfile of the generation names them.
            Generation again = create(generation.number(), settings, generation.listeners());
            if (!again.argFile().equals(generation.argFile())) {
                throw new IOException("the argfile moved to " + again.argFile());
            }
        } catch (IOException e) {
            throw new IOException("cannot make generation " + generation.number() + "'s files again: " + e.getMessage()
                    + " (restart the master, or send USR2)", e);
        }
    }

    @Override
    public void retainOnly(Set<Integer> inUse) {
        stager.retainOnly(inUse);
        for (Integer generation : Set.copyOf(written)) {
            if (!inUse.contains(generation)) {
                launcher.removeGenerationFiles(generation); // with them its copy of the TLS keys
                written.remove(generation);
            }
        }
    }

    private static FileOwner owner(Settings settings) {
        return settings.workerUser() == null ? null : settings.workerUser().owner();
    }
}
