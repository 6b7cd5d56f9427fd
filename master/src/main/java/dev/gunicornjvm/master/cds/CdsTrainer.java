package dev.gunicornjvm.master.cds;

import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.common.process.AttachSocket;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.common.posix.FileOwner;
import dev.gunicornjvm.master.app.PrivateDirectory;
import dev.gunicornjvm.master.app.StagedApp;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.socket.BindAddress;
import dev.gunicornjvm.master.socket.Listener;
import dev.gunicornjvm.master.socket.ListenerFactory;
import dev.gunicornjvm.master.spawn.SpawnedWorker;
import dev.gunicornjvm.master.spawn.WorkerLauncher;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Makes the workers' class-data sharing archive, so that nobody has to make one by hand: once a
 * generation serves, and its archive is missing, one extra worker JVM boots the app on a private
 * loopback listener, answers a request to the app's warm-up path (worker/.../Training), stops, and
 * writes every class it loaded into the archive as it exits. Workers started after that map the
 * archive instead of loading and verifying thousands of classes from jars.
 *
 * <p>Runs on the arbiter's thread only. A training run that fails is not retried for the same
 * archive: workers simply start without one.
 */
public final class CdsTrainer {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final Posix posix;
    private final WorkerLauncher launcher;
    private final ListenerFactory listenerFactory;
    private final Set<Path> failed = new HashSet<>();
    private CdsArchive training;
    /** The generation whose staged app the training run deploys. */
    private int generation;
    private Path partialFile;
    private int pid;
    private int lifelineFd;
    private long startedNanos;

    public CdsTrainer(Posix posix, WorkerLauncher launcher) {
        this.posix = posix;
        this.launcher = launcher;
        this.listenerFactory = new ListenerFactory(posix);
    }

    /** Starts a training run for this archive unless it exists, one runs, or one failed before. */
    public void trainIfMissing(Settings settings, StagedApp app, int generation, CdsArchive archive) {
        if (pid != 0 || failed.contains(archive.file()) || archive.exists()) {
            return;
        }
        Listener listener = null;
        try {
            prepareDirectory(archive.file().getParent(), settings.workerUser() == null ? null : settings.workerUser().owner());
            listener = listenerFactory.open(new BindAddress.Tcp("127.0.0.1", InetAddress.getLoopbackAddress(), 0), 16);
            partialFile = archive.file().resolveSibling(archive.file().getFileName() + ".partial-" + posix.pid());
            Files.deleteIfExists(partialFile);
            SpawnedWorker trainer = launcher.spawnTrainer(settings, app, listener, List.of(
                    "-XX:ArchiveClassesAtExit=" + partialFile,
                    "-Xlog:cds=off", "-Xlog:cds+dynamic=off")); // its notes on classes it skips are noise
            trainer.status().close(); // the trainer has nothing to tell: its exit status says it all
            pid = trainer.pid();
            lifelineFd = trainer.lifelineFd();
            training = archive;
            this.generation = generation;
            startedNanos = System.nanoTime();
            LOG.info("Making the workers' class-data sharing archive (pid: {})", pid);
        } catch (IOException | RuntimeException e) {
            failed.add(archive.file());
            LOG.warn("Workers start without a class-data sharing archive: {}", e.getMessage());
        } finally {
            if (listener != null) {
                posix.close(listener.fd()); // the trainer has its own copy
            }
        }
    }

    /** The generation a training run is deploying, if one runs. */
    public java.util.OptionalInt generation() {
        return pid == 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(generation);
    }

    /** Reaps the training run if it has ended, and puts its archive in place. */
    public void reap() {
        if (pid == 0) {
            return;
        }
        Optional<ExitStatus> status = posix.reap(pid);
        if (status.isEmpty()) {
            return;
        }
        posix.close(lifelineFd);
        pid = 0;
        try {
            if (status.get().code() != 0 || !Files.isRegularFile(partialFile)) {
                throw new IOException("the training run exited (" + status.get() + ") without one");
            }
            Files.move(partialFile, training.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("Workers now start with the class-data sharing archive {} (made in {} ms)", training.file(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
            removeOlderBuilds(training);
        } catch (IOException e) {
            failed.add(training.file());
            LOG.warn("Workers start without a class-data sharing archive: {}", e.getMessage());
        } finally {
            deletePartial();
        }
    }

    /** Ends a training run at once (the master is stopping); its partial archive is removed. */
    public void stop() {
        if (pid != 0) {
            posix.kill(pid, Signal.KILL_NUMBER);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (posix.reap(pid).isEmpty() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // SIGKILL takes effect within milliseconds
            }
            posix.close(lifelineFd);
            AttachSocket.removeLeftOver(pid); // SIGKILL left it in /tmp
            pid = 0;
            deletePartial();
        }
    }

    /**
     * Creates the directory private to whoever writes the archives (the workers' user) and refuses one
     * that others may write to: an archive planted there would be code run by every worker.
     */
    private void prepareDirectory(Path directory, FileOwner owner) throws IOException {
        PrivateDirectory.ensure(posix, directory, owner);
        if (PrivateDirectory.othersMayWrite(directory)) {
            throw new IOException(directory + " may be written by others (make it private: chmod go-w)");
        }
    }

    private void removeOlderBuilds(CdsArchive kept) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(kept.file().getParent(), kept.family() + "-*.jsa")) {
            for (Path file : files) {
                if (!file.equals(kept.file())) {
                    Files.deleteIfExists(file); // workers that mapped it keep their mapping
                }
            }
        } catch (IOException e) {
            LOG.debug("Could not remove older class-data sharing archives: {}", e.toString());
        }
    }

    private void deletePartial() {
        try {
            Files.deleteIfExists(partialFile);
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", partialFile, e.toString());
        }
    }
}
