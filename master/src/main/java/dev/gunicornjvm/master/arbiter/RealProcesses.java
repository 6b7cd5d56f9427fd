package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.pipe.WorkerFds;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.posix.InheritedFd;
import dev.gunicornjvm.common.posix.Errno;
import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.process.AttachSocket;
import dev.gunicornjvm.master.cds.CdsArchive;
import dev.gunicornjvm.master.spawn.SpawnedWorker;
import dev.gunicornjvm.master.spawn.StatusPipeReader;
import dev.gunicornjvm.master.spawn.WorkerLauncher;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Worker JVMs for real: posix_spawn, kill, waitpid, jcmd, and one reader thread per status pipe. */
final class RealProcesses implements Processes {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final Posix posix;
    private final WorkerLauncher launcher;
    /** The master's end of each worker's lifeline pipe, closed when the worker is reaped. */
    private final Map<Integer, Integer> lifelines = new HashMap<>();

    RealProcesses(Posix posix, WorkerLauncher launcher) {
        this.posix = posix;
        this.launcher = launcher;
    }

    @Override
    public int spawnWorker(Generation generation, boolean standby, Consumer<Event> events) throws IOException {
        SpawnedWorker spawned = launcher.spawn(generation.settings(), generation.listeners(), generation.argFile(),
                generation.cds().filter(CdsArchive::exists).map(CdsArchive::file), standby);
        lifelines.put(spawned.pid(), spawned.lifelineFd());
        int pid = spawned.pid();
        StatusPipeReader.start(pid, spawned.status(), new StatusPipeReader.Listener() {
            @Override
            public void said(WorkerMessage message) {
                events.accept(new Event.WorkerSaid(pid, message));
            }

            @Override
            public void faulty(String why) {
                events.accept(new Event.WorkerFaulty(pid, why));
            }

            @Override
            public void closed() {
                events.accept(new Event.WorkerPipeClosed(pid));
            }
        });
        return pid;
    }

    @Override
    public boolean promote(int pid) {
        Integer lifeline = lifelines.get(pid);
        if (lifeline == null) {
            return false;
        }
        try {
            // Not closed: the fd stays the lifeline, closed when the worker is reaped. A few bytes into
            // a pipe nobody has written to never block; a standby that died makes it EPIPE.
            new FileOutputStream(InheritedFd.of(lifeline)).write(
                    (WorkerFds.PROMOTE + "\n").getBytes(StandardCharsets.US_ASCII));
            return true;
        } catch (IOException e) {
            LOG.debug("Cannot promote worker (pid:{}): {}", pid, e.getMessage());
            return false;
        }
    }

    @Override
    public boolean signal(int pid, int signal) {
        try {
            return posix.kill(pid, signal);
        } catch (Errno e) {
            // EPERM: the pid is someone else's now. Nothing to do but say so; the master carries on.
            LOG.error("Cannot send signal {} to pid {}: {}", signal, pid, e.getMessage());
            return false;
        }
    }

    @Override
    public Optional<ExitStatus> reap(int pid) {
        Optional<ExitStatus> status = posix.reap(pid);
        if (status.isPresent()) {
            if (status.get().killedBySignal()) {
                AttachSocket.removeLeftOver(pid); // a JVM killed so cannot remove its /tmp/.java_pidPID
            }
            Integer lifeline = lifelines.remove(pid);
            if (lifeline != null) {
                posix.close(lifeline);
            }
        }
        return status;
    }

    @Override
    public void threadDump(int pid, Consumer<String> done) {
        ThreadDumper.start(pid, Watchdog.DUMP_LIMIT_MILLIS, done);
    }
}
