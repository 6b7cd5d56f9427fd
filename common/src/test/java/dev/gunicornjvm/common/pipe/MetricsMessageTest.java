package dev.gunicornjvm.common.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsMessageTest {
    /** The master's StatusPipeReader stops reading a worker at a line this long. */
    private static final int STATUS_LINE_LIMIT = 4096;

    @Test
    void survivesTheRoundTrip() {
        RequestCounts ok = new RequestCounts("200", 10, 123_456, List.of(5L, 3L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L));
        WorkerMessage.Metrics m = new WorkerMessage.Metrics(2, 7, 12_345_678, 33_554_432, 4, 56,
                List.of(ok, RequestCounts.none("404"), RequestCounts.none(RequestCounts.OTHER)));
        assertEquals(Optional.of(m), WorkerMessage.parse(m.encode()));
        WorkerMessage.Metrics idle = new WorkerMessage.Metrics(0, 0, 1, 2, 0, 0, List.of());
        assertEquals("metrics 0 0 1 2 0 0", idle.encode());
        assertEquals(Optional.of(idle), WorkerMessage.parse(idle.encode()));
    }

    @Test
    void theLongestPossibleLineFitsTheMastersBound() {
        // Every number as long as a long gets; buckets cannot all be (they add up to the count), so their
        // digits are counted on top as if they were.
        List<Long> zeros = Collections.nCopies(RequestCounts.BOUNDS_MICROS.length, 0L);
        List<RequestCounts> requests = new ArrayList<>();
        for (int i = 0; i < RequestCounts.MAX_STATUSES; i++) {
            requests.add(new RequestCounts(Integer.toString(500 + i), Long.MAX_VALUE, Long.MAX_VALUE, zeros));
        }
        requests.add(new RequestCounts(RequestCounts.OTHER, Long.MAX_VALUE, Long.MAX_VALUE, zeros));
        String line = new WorkerMessage.Metrics(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
                Long.MAX_VALUE, Long.MAX_VALUE, requests).encode() + "\n";
        int bucketDigits = 18 * RequestCounts.BOUNDS_MICROS.length;
        assertTrue(line.getBytes(StandardCharsets.UTF_8).length + bucketDigits * requests.size() < STATUS_LINE_LIMIT,
                line.length() + " bytes");
        assertThrows(IllegalArgumentException.class, () -> new WorkerMessage.Metrics(0, 0, 0, 0, 0, 0,
                Collections.nCopies(RequestCounts.MAX_STATUSES + 2, RequestCounts.none("200"))));
    }

    @Test
    void countsThatCannotBeAreNoMessage() {
        assertEquals(Optional.empty(), WorkerMessage.parse("metrics 0 0 1 2 0"));
        assertEquals(Optional.empty(), WorkerMessage.parse("metrics 0 0 1 2 0 0 200:1,5"));
        assertEquals(Optional.empty(), WorkerMessage.parse("metrics 0 0 1 2 0 0 200:1,5,2,0,0,0,0,0,0,0,0,0,0"),
                "more in the buckets than requests");
        assertEquals(Optional.empty(), WorkerMessage.parse("metrics 0 0 1 2 0 0 2000:1,5,0,0,0,0,0,0,0,0,0,0,0"));
        assertEquals(Optional.empty(), WorkerMessage.parse("metrics -1 0 1 2 0 0"));
    }

    @Test
    void countsAddUp() {
        RequestCounts a = new RequestCounts("200", 3, 30, List.of(1L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L));
        RequestCounts sum = a.plus(a);
        assertEquals(6, sum.count());
        assertEquals(60, sum.sumMicros());
        assertEquals(2L, sum.buckets().get(1));
    }
}
