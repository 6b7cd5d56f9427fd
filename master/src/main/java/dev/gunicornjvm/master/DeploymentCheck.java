package dev.gunicornjvm.master;

import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.common.posix.FileOwner;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.master.app.AppStager;
import dev.gunicornjvm.master.app.PrivateDirectory;
import dev.gunicornjvm.master.app.SessionDirectory;
import dev.gunicornjvm.master.app.StagedApp;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.spawn.SpawnedWorker;
import dev.gunicornjvm.master.spawn.WorkerLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code gunicorn --check-config}: deploys the app as a worker would (every initializer run, every
 * load-on-startup servlet initialised) in a worker JVM of its own with no listener, which prints what
 * it found and exits. Only that tells whether a WAR really deploys; the master itself never runs app
 * code.
 */
public final class DeploymentCheck {
    private DeploymentCheck() {
    }

    /** Returns the exit code: 0 when the app deployed, 4 when it did not. */
    public static int run(Settings settings, PrintStream out, PrintStream err) {
        Posix posix = Posix.get();
        // A worker that drops to -u must be able to read what the master staged for it.
        FileOwner owner = settings.workerUser() == null ? null : settings.workerUser().owner();
        Path dir = null;
        SessionDirectory sessions = new SessionDirectory(posix, null, owner);
        try {
            dir = PrivateDirectory.createTemp(posix, "gunicorn-jvm-check-", owner);
            StagedApp app = new AppStager(posix, dir).stage(0, settings.app(), owner);
            SpawnedWorker checker = new WorkerLauncher(posix, dir, sessions).spawnChecker(settings, app);
            String failure = failureReported(checker);
            ExitStatus status = awaitExit(posix, checker.pid());
            posix.close(checker.lifelineFd());
            if (status.code() == 0 && !status.killedBySignal()) {
                out.println("Configuration OK: " + settings.app().name() + " in " + app.environment().describe()
                        + " on " + settings.binds());
                return ExitCodes.OK;
            }
            err.println("Error: " + (failure != null ? failure : "the app did not deploy (" + status + "; see above)"));
            return ExitCodes.APP_LOAD_ERROR;
        } catch (IOException | IllegalStateException | java.io.UncheckedIOException e) {
            err.println("Error: " + e.getMessage());
            return ExitCodes.APP_LOAD_ERROR;
        } finally {
            sessions.cleanUp(false);
            if (dir != null) {
                PrivateDirectory.delete(dir);
            }
        }
    }

    /** The reason the checker sends before it exits, if it fails; reads its status pipe to the end. */
    private static String failureReported(SpawnedWorker checker) throws IOException {
        String reason = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(checker.status(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Optional<WorkerMessage> message = WorkerMessage.parse(line);
                if (message.isPresent() && message.get() instanceof WorkerMessage.BootFailed failed) {
                    reason = failed.reason();
                }
            }
        }
        return reason;
    }

    private static ExitStatus awaitExit(Posix posix, int pid) {
        while (true) {
            Optional<ExitStatus> status = posix.reap(pid);
            if (status.isPresent()) {
                return status.get();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
