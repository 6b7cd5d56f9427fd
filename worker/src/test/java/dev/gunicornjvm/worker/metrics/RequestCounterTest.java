package dev.gunicornjvm.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gunicornjvm.common.pipe.RequestCounts;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestCounterTest {
    @Test
    void countsByStatusIntoTheirBuckets() {
        RequestCounter counter = new RequestCounter();
        counter.count(200, 1_000);      // first bucket: up to 5 ms
        counter.count(200, 5_000);      // still the first: bounds are inclusive
        counter.count(200, 20_000_000); // past the last bound
        counter.count(404, 7_000);
        List<RequestCounts> counts = counter.read();
        assertEquals(List.of("200", "404"), counts.stream().map(RequestCounts::status).toList());
        RequestCounts ok = counts.get(0);
        assertEquals(3, ok.count());
        assertEquals(20_006_000, ok.sumMicros());
        assertEquals(2L, ok.buckets().get(0));
        assertEquals(2L, ok.buckets().stream().mapToLong(Long::longValue).sum());
        assertEquals(1L, counts.get(1).buckets().get(1));
    }

    @Test
    void statusesPastTheFirstFewFoldIntoOther() {
        RequestCounter counter = new RequestCounter();
        for (int code = 200; code < 200 + RequestCounts.MAX_STATUSES + 5; code++) {
            counter.count(code, 1);
        }
        counter.count(200, 1); // one kept apart still counts on its own
        counter.count(999, 1); // no status at all
        List<RequestCounts> counts = counter.read();
        assertEquals(RequestCounts.MAX_STATUSES + 1, counts.size());
        assertEquals(2, counts.get(0).count());
        assertEquals(RequestCounts.OTHER, counts.get(counts.size() - 1).status());
        assertEquals(6, counts.get(counts.size() - 1).count());
    }
}
