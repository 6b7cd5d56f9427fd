package dev.gunicornjvm.master.arbiter;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * How many workers the current generation should have, and how TTIN, TTOU, WINCH, HUP and the control
 * socket's scale change it. WINCH stops every worker but remembers the count, which HUP restores.
 */
final class WorkerCount {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private int target;
    /** The target before a WINCH stopped every worker, or null. */
    private Integer beforeWinch;

    WorkerCount(int target) {
        this.target = target;
    }

    int target() {
        return target;
    }

    void ttin() {
        beforeWinch = null;
        target++;
        LOG.info("Number of workers: {} (TTIN)", target);
    }

    void ttou() {
        if (target <= 1) {
            LOG.info("Number of workers stays at {}: TTOU never goes below one worker", target);
            return;
        }
        target--;
        LOG.info("Number of workers: {} (TTOU)", target);
    }

    void scale(int workers) {
        beforeWinch = null;
        target = workers;
        LOG.info("Number of workers: {} (control socket)", target);
    }

    void winch() {
        if (beforeWinch == null) {
            beforeWinch = target;
        }
        target = 0;
    }

    /** HUP, or the end of an upgrade that WINCH prepared for: the workers serve again. */
    void restoreAfterWinch() {
        if (beforeWinch != null) {
            target = beforeWinch;
            beforeWinch = null;
        }
    }

    /** A reload or an abandoned reload sets the count outright. */
    void set(int workers) {
        target = workers;
    }
}
