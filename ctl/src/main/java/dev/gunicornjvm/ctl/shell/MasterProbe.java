package dev.gunicornjvm.ctl.shell;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.ctl.client.ControlClient;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterLocator;
import dev.gunicornjvm.ctl.target.MasterProcess;
import dev.gunicornjvm.ctl.target.Target;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The master's status for the prompt and for completing worker pids, found the way every gunictl command
 * finds it ({@link MasterLocator}, then {@link ControlClient}). A master that does not answer within
 * {@link #LIMIT} never holds up the prompt.
 */
final class MasterProbe {
    static final Duration LIMIT = Duration.ofSeconds(2);

    /**
     * What the shell knows about the master right now.
     *
     * @param pid     the master's pid, or 0 when there is no master
     * @param status  its status, or null when there is no master or it did not answer
     * @param problem why there is no status, or null
     */
    record Snapshot(int pid, MasterStatus status, String problem) {
        boolean up() {
            return status != null;
        }
    }

    private final Target target;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "shell-status");
        t.setDaemon(true);
        return t;
    });

    MasterProbe(Target target) {
        this.target = target;
    }

    Snapshot snapshot() {
        CompletableFuture<Snapshot> fetch = CompletableFuture.supplyAsync(this::fetch, executor);
        try {
            // The client has its own deadline; this one also covers a connect that never completes.
            return fetch.get(LIMIT.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fetch.cancel(true);
            return new Snapshot(0, null, "the master did not answer within " + LIMIT.toMillis() + " ms");
        } catch (ExecutionException e) {
            return new Snapshot(0, null, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Snapshot(0, null, "interrupted");
        }
    }

    private Snapshot fetch() {
        MasterProcess master;
        try {
            master = new MasterLocator(target).current();
        } catch (GunictlException e) {
            return new Snapshot(0, null, e.getMessage());
        }
        try {
            return new Snapshot(master.pid(), new ControlClient(target.controlDirectory()).status(master.pid(), LIMIT), null);
        } catch (GunictlException e) {
            return new Snapshot(master.pid(), null, e.getMessage());
        }
    }
}
