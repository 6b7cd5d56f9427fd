package dev.gunicornjvm.master.hooks;

import dev.gunicornjvm.common.hooks.HookRunner;
import dev.gunicornjvm.common.hooks.HooksLoader;
import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.hooks.ServerHooks;
import dev.gunicornjvm.hooks.ServerInfo;
import dev.gunicornjvm.hooks.WorkerExit;
import dev.gunicornjvm.hooks.WorkerInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The master's side of the server hooks: one method per event, called by the arbiter's thread where it
 * does the thing. For each event the --hooks class's method runs first, then the event's shell command.
 *
 * <p>Java hooks run one at a time, on a thread of their own per call, and the arbiter waits for each at
 * most --hook-timeout: they run in the order of the events, and one that hangs is abandoned (the next
 * call gets a thread of its own). Shell commands are waited for (up to the timeout, then killed) only
 * where what follows must wait: on_starting, pre_fork and on_exit; the others run beside the master.
 */
public final class Hooks {
    /** Events whose shell command the master waits for before it goes on. */
    private static final Set<String> WAITED_COMMANDS = Set.of("on_starting", "pre_fork", "on_exit");

    /** The hooks of one configuration: a reload makes new ones, and the arbiter swaps them in. */
    public record Loaded(HookSettings settings, ServerHooks java, HookRunner runner) {
        Loaded(HookSettings settings, ServerHooks java) {
            this(settings, java, new HookRunner(settings.timeoutMillis()));
        }
    }

    private Loaded loaded;
    private final long masterPid;
    private final String app;
    private int workers;
    private int generation = 1;

    Hooks(HookSettings settings, ServerHooks java, long masterPid, String app, int workers) {
        this.loaded = new Loaded(settings, java);
        this.masterPid = masterPid;
        this.app = app;
        this.workers = workers;
    }

    /**
     * The hooks of a starting master: makes the --hooks class's instance.
     *
     * @throws IllegalArgumentException with a one-line reason when the class cannot be loaded or made
     */
    public static Hooks start(HookSettings settings, List<Path> classpath, long masterPid, String app, int workers) {
        ServerHooks java = settings.javaClass() == null ? null : HooksLoader.load(settings.javaClass(), classpath);
        return new Hooks(settings, java, masterPid, app, workers);
    }

    /** No hooks at all (unit tests of the arbiter). */
    public static Hooks none() {
        return new Hooks(HookSettings.NONE, null, 0, "", 0);
    }

    /**
     * Makes the hooks of a reload's settings: a new instance of the --hooks class, in a new class loader
     * (a rebuilt jar is read again). Nothing changes until {@link #reloaded}.
     *
     * @throws IllegalArgumentException when the class cannot be made: the reload is refused
     */
    public static Loaded load(HookSettings next, List<Path> classpath) {
        return new Loaded(next, next.javaClass() == null ? null : HooksLoader.load(next.javaClass(), classpath));
    }

    /** A reload started a new generation: its hooks are used from now on, starting with on_reload. */
    public void reloaded(Loaded next, int newGeneration) {
        loaded = next;
        onReload(newGeneration);
    }

    public void onStarting() {
        fire("on_starting", (h, s) -> h.onStarting(s), Map.of());
    }

    public void whenReady() {
        fire("when_ready", (h, s) -> h.whenReady(s), Map.of());
    }

    private void onReload(int newGeneration) {
        generation = newGeneration;
        fire("on_reload", (h, s) -> h.onReload(s), Map.of());
    }

    public void preFork(int ofGeneration) {
        generation = Math.max(generation, ofGeneration);
        WorkerInfo worker = new WorkerInfo(0, ofGeneration, 0);
        fire("pre_fork", (h, s) -> h.preFork(s, worker), worker(worker));
    }

    /** The worker said it accepts: the shell command only (the Java post_worker_init runs in the worker). */
    public void postWorkerInit(int pid, int ofGeneration, long age) {
        command("post_worker_init", worker(new WorkerInfo(pid, ofGeneration, age)));
    }

    public void workerAbort(int pid, int ofGeneration, long age) {
        WorkerInfo worker = new WorkerInfo(pid, ofGeneration, age);
        fire("worker_abort", (h, s) -> h.workerAbort(s, worker), worker(worker));
    }

    /** A worker was reaped: worker_exit, then child_exit. */
    public void workerExited(int pid, int ofGeneration, long age, ExitStatus status) {
        WorkerInfo worker = new WorkerInfo(pid, ofGeneration, age);
        WorkerExit exit = new WorkerExit(status.code(), status.signal());
        Map<String, String> env = worker(worker);
        env.put("GUNICORN_WORKER_EXIT_CODE", Integer.toString(exit.code()));
        env.put("GUNICORN_WORKER_SIGNAL", Integer.toString(exit.signal()));
        fire("worker_exit", (h, s) -> h.workerExit(s, worker, exit), env);
        fire("child_exit", (h, s) -> h.childExit(s, worker, exit), env);
    }

    /** The number of workers wanted, as the master sees it now: nworkers_changed if it changed. */
    public void workersWanted(int target) {
        if (target == workers) {
            return;
        }
        int old = workers;
        workers = target;
        fire("nworkers_changed", (h, s) -> h.nworkersChanged(s, target, old),
                Map.of("GUNICORN_OLD_WORKERS", Integer.toString(old)));
    }

    public void onExit() {
        fire("on_exit", (h, s) -> h.onExit(s), Map.of());
    }

    private ServerInfo server() {
        return new ServerInfo(masterPid, workers, generation, app);
    }

    /** A Java hook's call; it may throw anything. */
    private interface JavaCall {
        void on(ServerHooks hooks, ServerInfo server) throws Exception;
    }

    private void fire(String event, JavaCall call, Map<String, String> env) {
        if (loaded.java() != null) {
            ServerHooks h = loaded.java();
            ServerInfo now = server(); // taken here: the hook's thread must not read the arbiter's state
            loaded.runner().run(event, () -> call.on(h, now));
        }
        command(event, env);
    }

    private void command(String event, Map<String, String> extra) {
        String command = loaded.settings().commands().get(event);
        if (command == null) {
            return;
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GUNICORN_EVENT", event);
        env.put("GUNICORN_MASTER_PID", Long.toString(masterPid));
        env.put("GUNICORN_WORKERS", Integer.toString(workers));
        env.put("GUNICORN_GENERATION", Integer.toString(generation));
        env.put("GUNICORN_APP", app);
        env.putAll(extra);
        long timeout = loaded.settings().timeoutMillis();
        // A waited command is killed at the timeout by ShellHook itself; the margin lets it say so first.
        loaded.runner().run(event, () -> ShellHook.run(event, command, env, timeout),
                WAITED_COMMANDS.contains(event) ? timeout + 2000 : 0);
    }

    private static Map<String, String> worker(WorkerInfo w) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GUNICORN_WORKER_PID", Long.toString(w.pid()));
        env.put("GUNICORN_WORKER_GENERATION", Integer.toString(w.generation()));
        env.put("GUNICORN_WORKER_AGE", Long.toString(w.age()));
        return env;
    }
}
