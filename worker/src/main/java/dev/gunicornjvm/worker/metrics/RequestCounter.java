package dev.gunicornjvm.worker.metrics;

import dev.gunicornjvm.common.pipe.RequestCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * Counts every answered request by status, with its duration in fixed buckets, as a Jetty request log
 * (called once per request, after the answer). Counting allocates nothing after a status is first
 * seen, and request threads never wait on each other: each number is a {@link LongAdder}. The first
 * {@link RequestCounts#MAX_STATUSES} distinct codes are kept apart, later ones go to "other".
 */
public final class RequestCounter implements RequestLog {
    private static final int FIRST_CODE = 100;
    private static final int LAST_CODE = 599;

    /** One status's numbers. */
    private static final class Slot {
        final LongAdder count = new LongAdder();
        final LongAdder sumMicros = new LongAdder();
        final LongAdder[] buckets = new LongAdder[RequestCounts.BOUNDS_MICROS.length];

        Slot() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void add(long micros) {
            long[] bounds = RequestCounts.BOUNDS_MICROS;
            for (int i = 0; i < bounds.length; i++) {
                if (micros <= bounds[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            sumMicros.add(micros);
            count.increment(); // last: a sample never sees more in the buckets than in the count
        }

        RequestCounts read(String status) {
            List<Long> counts = new ArrayList<>(buckets.length);
            long inBuckets = 0;
            for (LongAdder b : buckets) {
                long n = b.sum();
                counts.add(n);
                inBuckets += n;
            }
            // Read while requests are counted: the count may lag the buckets by those in progress.
            return new RequestCounts(status, Math.max(count.sum(), inBuckets), sumMicros.sum(), counts);
        }
    }

    private final AtomicReferenceArray<Slot> byCode = new AtomicReferenceArray<>(LAST_CODE - FIRST_CODE + 1);
    private final AtomicInteger distinct = new AtomicInteger();
    private final Slot other = new Slot();

    @Override
    public void log(Request request, Response response) {
        long micros = Math.max(0, (System.nanoTime() - request.getBeginNanoTime()) / 1000);
        slot(response.getStatus()).add(micros);
    }

    /** Counts one request directly (for tests and callers outside Jetty). */
    void count(int status, long micros) {
        slot(status).add(micros);
    }

    private Slot slot(int status) {
        if (status < FIRST_CODE || status > LAST_CODE) {
            return other;
        }
        int i = status - FIRST_CODE;
        Slot s = byCode.get(i);
        if (s != null) {
            return s;
        }
        if (distinct.getAndUpdate(n -> n < RequestCounts.MAX_STATUSES ? n + 1 : n) >= RequestCounts.MAX_STATUSES) {
            return other;
        }
        if (byCode.compareAndSet(i, null, new Slot())) {
            return byCode.get(i);
        }
        distinct.decrementAndGet(); // another thread made it first
        return byCode.get(i);
    }

    /** The counts so far, by status code, "other" last (when it has any). */
    public List<RequestCounts> read() {
        List<RequestCounts> counts = new ArrayList<>();
        for (int i = 0; i < byCode.length(); i++) {
            Slot s = byCode.get(i);
            if (s != null) {
                counts.add(s.read(Integer.toString(FIRST_CODE + i)));
            }
        }
        RequestCounts rest = other.read(RequestCounts.OTHER);
        if (rest.count() > 0) {
            counts.add(rest);
        }
        return counts;
    }
}
