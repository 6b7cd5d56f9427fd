package dev.gunicornjvm.ctl.target;

import dev.gunicornjvm.common.process.ProcessIdentity;
import dev.gunicornjvm.common.process.ProcessRole;
import dev.gunicornjvm.common.process.ProcessTable;
import dev.gunicornjvm.ctl.support.GunictlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds masters through their pidfiles: PIDFILE names the master (during an upgrade, the new one) and
 * PIDFILE.oldbin the old master of an upgrade. A pidfile only counts if its pid is a live process whose
 * title starts with {@code gunicorn: master}; anything else is stale and said so in one line.
 */
public final class MasterLocator {
    private final Target target;

    public MasterLocator(Target target) {
        this.target = target;
    }

    public Target target() {
        return target;
    }

    /** The master PIDFILE names. */
    public MasterProcess current() throws GunictlException {
        try {
            return find(target.pidFile());
        } catch (GunictlException e) {
            Optional<MasterProcess> old = old();
            if (old.isPresent()) {
                throw new GunictlException(e.exitCode(), e.getMessage() + "; an upgrade is under way: old master "
                        + old.get().pid() + " is in " + target.oldbin() + " (see --old)");
            }
            throw e;
        }
    }

    /** The old master of an upgrade, if PIDFILE.oldbin names a running one. */
    public Optional<MasterProcess> old() {
        try {
            return Optional.of(find(target.oldbin()));
        } catch (GunictlException e) {
            return Optional.empty();
        }
    }

    /** The old master of an upgrade, or why there is none. */
    public MasterProcess requireOld() throws GunictlException {
        if (!Files.exists(target.oldbin())) {
            throw GunictlException.noMaster("no old master: " + target.oldbin()
                    + " does not exist (there is one only during an upgrade, after USR2)");
        }
        return find(target.oldbin());
    }

    /** The master a pidfile names right now, if it names one that runs; never throws. */
    public Optional<MasterProcess> named(Path pidFile) {
        try {
            return Optional.of(find(pidFile));
        } catch (GunictlException e) {
            return Optional.empty();
        }
    }

    /** The pid written in a pidfile, whatever it is, or -1. */
    public static int pidIn(Path pidFile) {
        try {
            return Integer.parseInt(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static MasterProcess find(Path pidFile) throws GunictlException {
        String text;
        try {
            text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw GunictlException.noMaster("no master: pidfile " + pidFile
                    + " does not exist (is gunicorn running with this pidfile? name it with -p)");
        } catch (AccessDeniedException e) {
            throw GunictlException.unreachable("cannot read pidfile " + pidFile + ": permission denied");
        } catch (IOException e) {
            throw GunictlException.noMaster("no master: cannot read pidfile " + pidFile + ": " + e);
        }
        int pid;
        try {
            pid = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw GunictlException.noMaster("no master: pidfile " + pidFile + " holds '" + abbreviate(text)
                    + "', not a pid");
        }
        Optional<ProcessIdentity> process = ProcessIdentity.of(pid);
        if (process.isEmpty()) {
            throw GunictlException.noMaster("no master: pidfile " + pidFile + " names pid " + pid
                    + ", which is not running (stale pidfile)");
        }
        String cmdline = ProcessTable.cmdline(pid);
        if (!ProcessRole.MASTER.titles(cmdline)) {
            throw GunictlException.noMaster("no master: pidfile " + pidFile + " names pid " + pid
                    + ", which is not a gunicorn master but '" + abbreviate(cmdline) + "' (stale pidfile)");
        }
        return new MasterProcess(process.get(), pidFile);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
