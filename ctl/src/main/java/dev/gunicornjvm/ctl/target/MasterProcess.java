package dev.gunicornjvm.ctl.target;

import dev.gunicornjvm.common.process.ProcessIdentity;
import java.nio.file.Path;

/**
 * A running master found through a pidfile, pinned by its start time: waiting for it to exit can never
 * be fooled by another process that later gets the same pid.
 *
 * @param pidFile the file that named it (PIDFILE, or PIDFILE.oldbin for the old master of an upgrade)
 */
public record MasterProcess(ProcessIdentity identity, Path pidFile) {
    public int pid() {
        return identity.pid();
    }

    /** Still this very process, and not a zombie. */
    public boolean alive() {
        return identity.alive();
    }
}
