package dev.gunicornjvm.master.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.pipe.RequestCounts;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.master.metrics.MetricsSnapshot;
import dev.gunicornjvm.master.metrics.Readiness;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the loop publishes for --metrics-bind, through the real arbiter with fake processes and time. */
class ArbiterMetricsTest extends ArbiterTestBase {
    private MetricsSnapshot published() {
        return h.arbiter.metrics().published();
    }

    private Readiness readiness() {
        return published().readiness();
    }

    private static WorkerMessage.Metrics served(long requests) {
        return new WorkerMessage.Metrics(0, 0, 1, 2, 0, 0, List.of(new RequestCounts("200", requests, requests,
                Collections.nCopies(RequestCounts.BOUNDS_MICROS.length, 0L))));
    }

    private long boots() {
        return published().bootTimes().counts().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void offByDefault() throws IOException {
        boot("-w", "1");
        assertNull(published());
    }

    @Test
    void readyOnlyWhileTheCurrentGenerationHasAllItsWorkers() throws IOException {
        boot("-D", "-w", "2", "--metrics-bind", "127.0.0.1:0");
        assertEquals(new Readiness(true, "ready: 2/2 workers of generation 1"), readiness());

        h.signal(Signal.TTIN);
        assertEquals(new Readiness(false, "not ready: 2/3 workers of generation 1"), readiness());
        h.allReady(List.of(h.processes.spawned.get(2)));
        assertTrue(readiness().ready());

        h.signal(Signal.HUP);
        assertEquals(new Readiness(false, "not ready: 0/3 workers of generation 2"), readiness());
        h.allReady(h.processes.spawnedOf(2));
        assertEquals(new Readiness(true, "ready: 3/3 workers of generation 2"), readiness());
        assertEquals(1L, published().reloads().get("success"));

        h.signal(Signal.HUP);
        h.signal(Signal.HUP); // during the reload: one more once it ends, in the same pass
        h.allReady(h.processes.spawnedOf(3));
        h.allReady(h.processes.spawnedOf(4));
        assertEquals(new Readiness(true, "ready: 3/3 workers of generation 4"), readiness());
        assertEquals(3L, published().reloads().get("success"), "each reload that ended, coalesced ones too");
        assertEquals(0L, published().reloads().get("failure"));

        h.signal(Signal.WINCH);
        assertFalse(readiness().ready(), readiness().why());
        h.signal(Signal.HUP);
        assertFalse(readiness().ready(), "generation 5 boots");
        h.allReady(h.processes.spawnedOf(5));
        assertTrue(readiness().ready(), readiness().why());

        h.signal(Signal.TERM);
        assertEquals(new Readiness(false, "not ready: shutting down"), readiness());
    }

    @Test
    void theTotalsKeepTheRequestsOfWorkersGoneAndCountWhyTheyWent() throws IOException {
        List<Integer> workers = boot("-w", "2", "-t", "0", "--metrics-bind", "127.0.0.1:0");
        h.processes.say(workers.get(0), served(5));
        h.processes.say(workers.get(1), served(7));
        h.settle();
        assertEquals(12, published().requests().get("200").count());
        assertEquals(2, published().workers().size());

        h.advance(60);
        h.processes.killedBy(workers.get(0), 9);
        h.settle();
        assertEquals(12, published().requests().get("200").count(), "the dead worker's requests stay counted");
        assertEquals(1L, published().restarts().get("crash"));
        assertEquals(1, published().workers().size());

        h.processes.say(workers.get(0), served(100)); // from a reaped pid: ignored
        h.settle();
        assertEquals(12, published().requests().get("200").count());
        assertEquals(2, boots(), "the replacement is timed once it accepts");
        h.clock.advance(1500, java.util.concurrent.TimeUnit.MILLISECONDS);
        h.allReady(List.of(h.processes.spawned.get(2)));
        assertEquals(3, boots());
        assertEquals(1.5, published().bootTimes().sumSeconds(), 1e-9);
    }
}
