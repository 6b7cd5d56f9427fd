package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.common.signals.Signal;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The log line for a worker that exited without being asked to, worded as Gunicorn words it. */
final class WorkerExits {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private WorkerExits() {
    }

    static void log(int pid, ExitStatus status) {
        if (status.killedBySignal()) {
            if (status.signal() == Signal.KILL_NUMBER) {
                LOG.error("Worker (pid:{}) was sent SIGKILL! Perhaps out of memory?", pid);
            } else {
                LOG.error("Worker (pid:{}) was sent signal {}!", pid, status.signal());
            }
        } else if (status.code() == 0) {
            LOG.info("Worker (pid:{}) exited", pid);
        } else {
            LOG.error("Worker (pid:{}) exited with code {}", pid, status.code());
        }
    }
}
