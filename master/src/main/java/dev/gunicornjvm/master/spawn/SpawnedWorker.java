package dev.gunicornjvm.master.spawn;

import java.io.InputStream;

/**
 * A worker process just started: its pid, the master's end of its status pipe, and the master's end
 * of its lifeline pipe (held open, never written; closing it, or the master's death, tells the worker
 * to exit).
 */
public record SpawnedWorker(int pid, InputStream status, int lifelineFd) {
}
