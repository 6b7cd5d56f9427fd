package dev.gunicornjvm.hooks;

/**
 * Gunicorn's server hooks, for a class named by {@code --hooks CLASS}: implement the events you need,
 * the others do nothing. The class is found on {@code -cp}, in a class loader of its own that sees the
 * JDK, this package and {@code -cp}, and needs a public no-argument constructor.
 *
 * <p>One instance lives in the master, for the master's events, and one in each worker JVM, for the
 * worker's events: they share no state (a worker is another process). Master events run on a thread of
 * their own, one call at a time in the order the master saw the events, and the master waits for each at
 * most {@code --hook-timeout} seconds; a hook that throws is logged and the server goes on. The
 * per-request events run on the request's thread, unbounded, like a filter. See docs/hooks.md.
 */
public interface ServerHooks {
    /** Master: just before the master opens its listeners. */
    default void onStarting(ServerInfo server) {
    }

    /** Master: once the listeners are open and the first workers accept. */
    default void whenReady(ServerInfo server) {
    }

    /** Master: a HUP read the configuration again and a new generation of workers is starting. */
    default void onReload(ServerInfo server) {
    }

    /** Master: just before a worker JVM is spawned; {@code worker.pid()} is 0 (it has none yet). */
    default void preFork(ServerInfo server, WorkerInfo worker) {
    }

    /** Worker: the worker JVM is booting, before the app is deployed. */
    default void postFork(WorkerInfo worker) {
    }

    /** Worker: the app is deployed and started; the master counts the worker ready once this returns. */
    default void postWorkerInit(WorkerInfo worker) {
    }

    /** Worker: it got INT or TERM and is about to stop at once (requests in flight are cut). */
    default void workerInt(WorkerInfo worker) {
    }

    /** Master: a worker is silent past {@code --timeout} (or not booted after --boot-timeout) and is being killed. */
    default void workerAbort(ServerInfo server, WorkerInfo worker) {
    }

    /** Master: a worker has exited (reaped), just before {@link #childExit}. */
    default void workerExit(ServerInfo server, WorkerInfo worker, WorkerExit exit) {
    }

    /** Master: a worker process has exited (reaped), right after {@link #workerExit}. */
    default void childExit(ServerInfo server, WorkerInfo worker, WorkerExit exit) {
    }

    /** Master: the number of workers wanted changed (TTIN, TTOU, WINCH, a reload, gunictl scale). */
    default void nworkersChanged(ServerInfo server, int newValue, int oldValue) {
    }

    /**
     * Worker, on the request's thread, before the app sees the request. A hook that throws ends the
     * request with 500 (the app never sees it).
     */
    default void preRequest(WorkerInfo worker, RequestInfo request) {
    }

    /** Worker, on the thread that completes the response, once the app is done with it. */
    default void postRequest(WorkerInfo worker, RequestInfo request, ResponseInfo response) {
    }

    /** Master: it is about to exit, every worker gone. */
    default void onExit(ServerInfo server) {
    }
}
