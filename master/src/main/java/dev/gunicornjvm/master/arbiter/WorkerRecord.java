package dev.gunicornjvm.master.arbiter;

/**
 * What the master knows about one worker. Mutable, but owned by the arbiter thread alone.
 */
final class WorkerRecord {
    enum State { BOOTING, READY, STOPPING }

    final int pid;
    /** Spawn order across the master's life: the smallest is the oldest worker. */
    final long age;
    final int generation;
    final long spawnedNanos;
    final int lifelineFd;
    State state = State.BOOTING;
    long lastHeartbeatNanos;
    /** When it reported accepting; 0 while booting. */
    long readyNanos;
    long requests;
    /** Set when the worker said why it cannot boot; reported when it exits. */
    String bootFailure;
    /** Nanos after which a worker that was asked to stop is killed; 0 while not stopping. */
    long killAtNanos;
    boolean timedOut;
    /** The worker served its --max-requests and waits to be replaced (it serves on meanwhile). */
    boolean recycle;

    WorkerRecord(int pid, long age, int generation, long now, int lifelineFd) {
        this.pid = pid;
        this.age = age;
        this.generation = generation;
        this.spawnedNanos = now;
        this.lastHeartbeatNanos = now;
        this.lifelineFd = lifelineFd;
    }
}
