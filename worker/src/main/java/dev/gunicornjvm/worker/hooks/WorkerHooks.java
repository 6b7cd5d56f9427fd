package dev.gunicornjvm.worker.hooks;

import dev.gunicornjvm.common.hooks.HookRunner;
import dev.gunicornjvm.common.hooks.HooksLoader;
import dev.gunicornjvm.common.hooks.WorkerHookSettings;
import dev.gunicornjvm.hooks.ServerHooks;
import dev.gunicornjvm.hooks.WorkerInfo;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.server.Handler;

/**
 * A worker's side of the server hooks: post_fork, post_worker_init and worker_int, each on a thread of
 * its own and waited for at most --hook-timeout, and pre_request/post_request around the app (see
 * {@link RequestHooks}). The --hooks class is loaded here as in the master: in a class loader of its
 * own over -cp, which sees the hooks API and the JDK, not the app's loader nor the server's libraries.
 */
public final class WorkerHooks {
    /** A worker without --hooks: every event does nothing, and requests are not wrapped. */
    public static final WorkerHooks NONE = new WorkerHooks(null, null, null);

    private final ServerHooks hooks;
    private final WorkerInfo worker;
    private final HookRunner runner;

    WorkerHooks(ServerHooks hooks, WorkerInfo worker, HookRunner runner) {
        this.hooks = hooks;
        this.worker = worker;
        this.runner = runner;
    }

    /**
     * The worker's hooks, or {@link #NONE}.
     *
     * @throws IllegalArgumentException with a one-line reason when the class cannot be loaded or made
     */
    public static WorkerHooks load(WorkerHookSettings settings, List<String> classpath, long pid) {
        if (settings == null) {
            return NONE;
        }
        ServerHooks hooks = HooksLoader.load(settings.className(), classpath.stream().filter(s -> !s.isEmpty())
                .map(Path::of).toList());
        return new WorkerHooks(hooks, new WorkerInfo(pid, settings.generation(), 0),
                new HookRunner(settings.timeoutMillis()));
    }

    public void postFork() {
        run("post_fork", () -> hooks.postFork(worker));
    }

    public void postWorkerInit() {
        run("post_worker_init", () -> hooks.postWorkerInit(worker));
    }

    public void workerInt() {
        run("worker_int", () -> hooks.workerInt(worker));
    }

    /** The app's handler, behind pre_request and post_request when the hooks class has either. */
    public Handler wrap(Handler app) {
        if (hooks == null) {
            return app;
        }
        boolean pre = HooksLoader.overrides(hooks, "preRequest");
        boolean post = HooksLoader.overrides(hooks, "postRequest");
        return pre || post ? new RequestHooks(app, hooks, worker, pre, post) : app;
    }

    private void run(String event, HookRunner.Call call) {
        if (hooks != null) {
            runner.run(event, call);
        }
    }
}
