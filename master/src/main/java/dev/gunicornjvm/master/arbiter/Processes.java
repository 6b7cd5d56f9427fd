package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.posix.ExitStatus;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the arbiter does to processes, and all it does: the seam between its decisions and the OS.
 * {@link RealProcesses} starts worker JVMs; unit tests use a fake that records what was asked.
 */
interface Processes {
    /**
     * Starts a worker of this generation, or a standby that boots but accepts only once promoted. What
     * it says on its status pipe arrives as events.
     *
     * @throws IOException when no process could be started (EAGAIN, EMFILE, ENOMEM, a missing file);
     *                     nothing is left open then
     */
    int spawnWorker(Generation generation, boolean standby, Consumer<Event> events) throws IOException;

    /** Tells a standby to start accepting, by a line on its lifeline; false if it is gone. */
    boolean promote(int pid);

    /** Sends a signal; false when the process is gone. Other failures are logged here, never thrown. */
    boolean signal(int pid, int signal);

    /** The exit status of a child that has exited, without blocking; releases what the master held for it. */
    Optional<ExitStatus> reap(int pid);

    /** Takes a thread dump of a worker on another thread (a hung JVM may never answer) and hands it over. */
    void threadDump(int pid, Consumer<String> done);
}
