package dev.gunicornjvm.master.arbiter;

import java.util.concurrent.TimeUnit;

/** Time that moves only when a test says so; it starts at an odd, negative value, as nanoTime may. */
final class FakeClock implements Clock {
    private long now = -123_456_789_000L;

    @Override
    public long nanos() {
        return now;
    }

    void advance(long amount, TimeUnit unit) {
        now += unit.toNanos(amount);
    }
}
