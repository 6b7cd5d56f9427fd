package dev.gunicornjvm.common.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerMessageTest {
    @Test
    void everyMessageSurvivesTheRoundTrip() {
        for (WorkerMessage m : new WorkerMessage[] {new WorkerMessage.Ready(), new WorkerMessage.Heartbeat(42), new WorkerMessage.Recycle(1000),
                new WorkerMessage.BootFailed(4, "class x not found")}) {
            assertEquals(Optional.of(m), WorkerMessage.parse(m.encode()));
        }
    }

    @Test
    void aReasonStaysOnOneLine() {
        String line = new WorkerMessage.BootFailed(4, "first\nsecond").encode();
        assertTrue(!line.contains("\n"));
    }

    @Test
    void garbageIsIgnoredNotFatal() {
        assertEquals(Optional.empty(), WorkerMessage.parse("heartbeat many"));
        assertEquals(Optional.empty(), WorkerMessage.parse("hello"));
        assertEquals(Optional.empty(), WorkerMessage.parse(""));
    }
}
