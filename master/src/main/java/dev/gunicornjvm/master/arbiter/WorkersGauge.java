package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.statsd.Statsd;
import dev.gunicornjvm.common.statsd.StatsdSink;

/**
 * Gunicorn's StatsD gauge {@code gunicorn.workers}: the workers the master keeps (booting or accepting,
 * of every generation; not standbys, not the ones stopping), sent when that number changes, as
 * Gunicorn's arbiter does after each pass of {@code manage_workers}. Without --statsd-host it costs one
 * comparison a pass.
 */
final class WorkersGauge {
    private int last = -1;
    private StatsdSink sentTo;

    void report(WorkerTable workers) {
        StatsdSink sink = Statsd.sink();
        if (sink == StatsdSink.NONE) {
            return;
        }
        int count = 0;
        for (WorkerRecord w : workers.all()) {
            if (w.state != WorkerState.STOPPING && !w.standby) {
                count++;
            }
        }
        if (count != last || sink != sentTo) { // a new sink (a reload changed --statsd-host) gets it too
            sink.gauge("gunicorn.workers", count);
            last = count;
            sentTo = sink;
        }
    }
}
