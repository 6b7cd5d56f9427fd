package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.WorkerState;

/**
 * What the master knows about one worker. Mutable, but owned by the arbiter thread alone.
 */
final class WorkerRecord {
    final int pid;
    /** Spawn order across the master's life: the smallest is the oldest worker. */
    final long age;
    final int generation;
    final long spawnedNanos;
    WorkerState state = WorkerState.BOOTING;
    /** Started as a standby and not promoted yet (booting or parked in {@link WorkerState#STANDBY}). */
    boolean standby;
    /** Since when the worker is expected to start accepting: its spawn, or its promotion (--boot-timeout). */
    long bootingSinceNanos;
    long lastHeartbeatNanos;
    private boolean wasReady;
    private long readyNanos;
    long requests;
    /** Set when the worker said why it cannot boot; reported when it exits. */
    String bootFailure;
    /** Asked to stop or timed out: killed at {@link #killAtNanos} if still alive. */
    boolean killScheduled;
    long killAtNanos;
    boolean timedOut;
    /** The worker served its --max-requests and waits to be replaced (it serves on meanwhile). */
    boolean recycle;

    WorkerRecord(int pid, long age, int generation, long now, boolean standby) {
        this.pid = pid;
        this.age = age;
        this.generation = generation;
        this.spawnedNanos = now;
        this.bootingSinceNanos = now;
        this.lastHeartbeatNanos = now;
        this.standby = standby;
    }

    /** A standby told to accept: a worker from now on, booting until it says it is ready. */
    void promoted(long now) {
        standby = false;
        state = WorkerState.BOOTING;
        bootingSinceNanos = now;
    }

    void ready(long now) {
        state = WorkerState.READY;
        wasReady = true;
        readyNanos = now;
    }

    /** True once the worker has accepted connections (it may be stopping now). */
    boolean wasReady() {
        return wasReady;
    }

    long readyNanos() {
        return readyNanos;
    }

    void killAt(long nanos) {
        killScheduled = true;
        killAtNanos = nanos;
    }

    boolean killDue(long now) {
        return killScheduled && now - killAtNanos >= 0;
    }
}
