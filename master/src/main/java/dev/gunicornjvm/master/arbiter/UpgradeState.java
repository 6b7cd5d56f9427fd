package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.UpgradeRole;
import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.common.process.PidFile;
import dev.gunicornjvm.common.process.ProcessIdentity;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.socket.Listener;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * This master's part in a USR2 upgrade: the old master that started it (if it still lives), the new
 * master it started, and the pidfile that names it (PIDFILE, or PIDFILE.oldbin while a new master
 * exists). The pidfile path is the one the master started with, whatever a reload says since.
 */
final class UpgradeState {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final int pid;
    /** The master that started this one by USR2, or 0. */
    private final int oldMaster;
    /** True while that very master (pid and start time) lives, with a master's title. */
    private final BooleanSupplier oldMasterAlive;
    /** PIDFILE as started, or null for none. */
    private final PidFile started;
    private PidFile pidFile;
    /** The new master this one started by USR2, or 0. */
    private int newMaster;

    /** The old master is pinned by its start time now, while it is sure to live: it started this one. */
    UpgradeState(int pid, int oldMaster, Path pidFile) {
        this(pid, oldMaster, pidFile, oldMasterCheck(oldMaster));
    }

    UpgradeState(int pid, int oldMaster, Path pidFile, BooleanSupplier oldMasterAlive) {
        this.pid = pid;
        this.oldMaster = oldMaster;
        this.oldMasterAlive = oldMasterAlive;
        this.started = pidFile == null ? null : new PidFile(pidFile);
        this.pidFile = started;
    }

    UpgradeRole role() {
        return newMaster != 0 ? UpgradeRole.NEW_MASTER_RUNNING
                : oldMasterAlive() ? UpgradeRole.OLD_MASTER_RUNNING : UpgradeRole.NONE;
    }

    /** The other master of an upgrade in progress, or 0. */
    int otherMaster() {
        return newMaster != 0 ? newMaster : oldMasterAlive() ? oldMaster : 0;
    }

    boolean hasNewMaster() {
        return newMaster != 0;
    }

    int newMaster() {
        return newMaster;
    }

    boolean oldMasterAlive() {
        return oldMaster != 0 && oldMasterAlive.getAsBoolean();
    }

    /** A pid reused by another process, even one titled like a master, is not the old master. */
    private static BooleanSupplier oldMasterCheck(int oldMaster) {
        Optional<ProcessIdentity> identity = oldMaster == 0 ? Optional.empty() : ProcessIdentity.of(oldMaster);
        return () -> identity.filter(ProcessIdentity::isGunicornMaster).isPresent();
    }

    /** True while another master serves on the same sockets: nothing shared may be unlinked or removed. */
    boolean sharingSockets() {
        return newMaster != 0 || oldMasterAlive();
    }

    Optional<PidFile> pidFile() {
        return Optional.ofNullable(pidFile);
    }

    /**
     * USR2: starts the new master of an upgrade, handing it the current generation's listeners; it
     * writes PIDFILE once this master's pidfile is PIDFILE.oldbin. Both serve until the operator sends
     * WINCH and QUIT here (done) or HUP here and QUIT there (reverted). If it cannot be started,
     * PIDFILE names this master again.
     */
    void startNewMaster(NewMasterStarter starter, Map<String, Listener> bound, Generation current, Settings settings) {
        if (newMaster != 0) {
            LOG.warn("USR2 signal ignored. Child exists.");
            return;
        }
        if (oldMasterAlive()) {
            LOG.warn("USR2 signal ignored. Parent exists.");
            return;
        }
        Map<String, Listener> handed = new LinkedHashMap<>(bound);
        handed.values().retainAll(current.listeners()); // not the ones a reload in progress opened
        try {
            if (pidFile != null) {
                PidFile renamed = pidFile.renameIfOwnedBy(pid, Path.of(started.path() + ".oldbin"));
                pidFile = renamed != null ? renamed : pidFile;
            }
            newMaster = starter.start(handed, settings);
            LOG.info("Upgrading: started a new master (pid: {}); this master serves on until told otherwise", newMaster);
        } catch (IOException | RuntimeException e) {
            LOG.error("Upgrade failed, this master keeps serving: {}", e.getMessage());
            restorePidFile();
        }
    }

    /** Reaps the new master if it exited: the upgrade is over, and PIDFILE names this master again. */
    Optional<ExitStatus> reapNewMaster(Processes processes) {
        if (newMaster == 0) {
            return Optional.empty();
        }
        Optional<ExitStatus> status = processes.reap(newMaster);
        if (status.isPresent()) {
            if (status.get().code() == 0) {
                LOG.info("New master (pid: {}) exited; this master is the master again", newMaster);
            } else {
                LOG.error("New master (pid: {}) exited ({}): the upgrade failed (its reason is logged above);"
                        + " this master keeps serving", newMaster, status.get());
            }
            newMaster = 0;
            restorePidFile();
        }
        return status;
    }

    /** Removes the pidfile on the way out, if it still names this master. */
    void removePidFile() {
        if (pidFile != null) {
            pidFile.removeIfOwnedBy(pid);
        }
    }

    private void restorePidFile() {
        if (pidFile == null || pidFile.equals(started)) {
            return;
        }
        try {
            PidFile back = pidFile.renameIfOwnedBy(pid, started.path());
            if (back != null) {
                LOG.info("Renamed {} back to {}", pidFile.path(), started.path());
                pidFile = back;
            }
        } catch (IOException e) {
            LOG.error("Cannot rename {} back to {}: {}", pidFile.path(), started.path(), e.getMessage());
        }
    }
}
