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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
 * <p>The archive directory is the master's (see {@link #prepareDirectory}); the training run, which may
 * run as the workers' user, writes into a private directory of its own inside it, and the master
 * renames the archive into place: rename(2) moves a name, so a symlink left there is never followed.
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
    /** The training run's own directory inside the archive directory, writable by the workers' user. */
    private Path trainingDir;
    private Path partialFile;
    /** The training run's standard error; its last line says why when the run fails. */
    private Path outputFile;
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
        FileOwner owner = settings.workerUser() == null ? null : settings.workerUser().owner();
        try {
            prepareDirectory(archive.file().getParent(), owner != null);
        } catch (IOException e) {
            failed.add(archive.file());
            LOG.error("Workers start without a class-data sharing archive: {}", e.getMessage());
            return;
        }
        Listener listener = null;
        try {
            listener = listenerFactory.open(new BindAddress.Tcp("127.0.0.1", InetAddress.getLoopbackAddress(), 0), 16);
            trainingDir = PrivateDirectory.createTemp(posix, archive.file().getParent(), ".training-" + posix.pid() + "-", owner);
            partialFile = trainingDir.resolve(archive.file().getFileName() + ".partial");
            // In the archive directory, which is the master's alone (the training directory is the workers'
            // user's, who could leave a link there for a spawn running as root to append to).
            outputFile = Files.createTempFile(archive.file().getParent(), ".training-" + posix.pid() + "-", ".log");
            SpawnedWorker trainer = launcher.spawnTrainer(settings, app, listener, trainingOptions(archive, partialFile),
                    outputFile);
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
            deletePartial();
        } finally {
            if (listener != null) {
                posix.close(listener.fd()); // the trainer has its own copy
            }
        }
    }

    /**
     * The JVM options of a training run: on JDK 25 and later, the JDK's one-step AOT cache training
     * (the JVM records at exit, then runs a second JVM that assembles the cache before it returns); before,
     * a dynamic CDS archive written at exit. Either way its notes on classes it skips are noise.
     */
    static List<String> trainingOptions(CdsArchive archive, Path output) {
        if (archive.aotCache()) {
            List<String> options = new java.util.ArrayList<>();
            options.add("-XX:AOTCacheOutput=" + output);
            options.addAll(WorkerLauncher.AOT_QUIET);
            // Its notes on the cache it makes are printed on stdout, where the access log may go, not logged.
            options.add("-XX:-DisplayVMOutput");
            return options;
        }
        return List.of("-XX:ArchiveClassesAtExit=" + output, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
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
        boolean made = false;
        try {
            if (status.get().code() != 0 || !Files.isRegularFile(partialFile, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("the training run exited (" + status.get() + ") without one" + lastLine());
            }
            Files.move(partialFile, training.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (!Files.isRegularFile(training.file(), LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(training.file()); // swapped for something else after we looked
                throw new IOException("the training run left something other than a file");
            }
            removeOlderBuilds(training);
            made = true;
        } catch (IOException e) {
            failed.add(training.file());
            LOG.warn("Workers start without a class-data sharing archive: {}", e.getMessage());
        } finally {
            deletePartial();
        }
        if (made) {
            // Only now: once this line is logged, the directory holds the archive and nothing of the run.
            LOG.info("Workers now start with the class-data sharing archive {} (made in {} ms)", training.file(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
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
     * Creates the archive directory for the master, and refuses one that is not the master's or that
     * others may write to: an archive planted there would be code run by every worker. It is 0700, or
     * 0755 when workers run as another user, who must be able to read the archives but not to add any.
     */
    private void prepareDirectory(Path directory, boolean otherUser) throws IOException {
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(otherUser ? "rwxr-xr-x" : "rwx------");
        PrivateDirectory.createSafe(directory, permissions, posix.uid());
    }

    private void removeOlderBuilds(CdsArchive kept) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(kept.file().getParent(),
                kept.family() + "-*" + kept.extension())) {
            for (Path file : files) {
                if (!file.equals(kept.file())) {
                    Files.deleteIfExists(file); // workers that mapped it keep their mapping
                }
            }
        } catch (IOException e) {
            LOG.debug("Could not remove older class-data sharing archives: {}", e.toString());
        }
    }

    /** The last line the training run wrote to its standard error, as ": LINE", or nothing. */
    private String lastLine() {
        try {
            List<String> lines = Files.readAllLines(outputFile, java.nio.charset.StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    String line = lines.get(i).strip();
                    return ": " + (line.length() > 300 ? line.substring(0, 300) + "..." : line);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read {}: {}", outputFile, e.toString());
        }
        return "";
    }

    /**
     * Removes the training run's directory and the files it left there. Only names directly inside it
     * are unlinked, never walked into: the workers' user could have swapped a subdirectory for a link.
     */
    private void deletePartial() {
        if (outputFile != null) {
            try {
                Files.deleteIfExists(outputFile);
            } catch (IOException e) {
                LOG.debug("Could not remove {}: {}", outputFile, e.toString());
            }
            outputFile = null;
        }
        if (trainingDir == null) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(trainingDir)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(trainingDir);
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", trainingDir, e.toString());
        }
        trainingDir = null;
    }
}
