package dev.gunicornjvm.worker.metrics;

import dev.gunicornjvm.common.pipe.WorkerMessage;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What a worker measures when its master serves metrics (--metrics-bind): made only then, so that a
 * worker without it loads none of this, nor java.management (the GC numbers come from it, read on the
 * heartbeat thread once the worker serves, never during the boot).
 */
public final class WorkerMetrics {
    private final RequestCounter requests = new RequestCounter();

    /** What Jetty calls once per answered request. */
    public RequestCounter requestLog() {
        return requests;
    }

    /** The numbers now, for the master. */
    public WorkerMessage.Metrics sample(QueuedThreadPool pool) {
        Runtime runtime = Runtime.getRuntime();
        long committed = runtime.totalMemory();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount()); // -1: this collector does not say
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return new WorkerMessage.Metrics(Math.max(0, pool.getUtilizedThreads()), Math.max(0, pool.getQueueSize()),
                committed - runtime.freeMemory(), committed, gcCount, gcMillis, requests.read());
    }
}
