package dev.gunicornjvm.master.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.pipe.WorkerMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A worker's status pipe is read in bounded lines; garbage stops the reading and says so. */
class StatusPipeReaderTest {
    private final List<String> heard = new ArrayList<>();
    private final StatusPipeReader.Listener listener = new StatusPipeReader.Listener() {
        @Override
        public void said(WorkerMessage message) {
            heard.add(message.encode());
        }

        @Override
        public void faulty(String why) {
            heard.add("faulty: " + why);
        }

        @Override
        public void closed() {
            heard.add("closed");
        }
    };

    private void read(String text) {
        StatusPipeReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), listener);
    }

    @Test
    void messagesArriveInOrderThenTheEnd() {
        read("ready\nheartbeat 3\nrecycle 10\n");
        assertEquals(List.of("ready", "heartbeat 3", "recycle 10", "closed"), heard);
    }

    @Test
    void aLineThatIsNoMessageMakesTheWorkerFaultyAndNothingAfterItIsRead() {
        read("ready\nGET / HTTP/1.1\u0007\nheartbeat 3\n");
        assertEquals(3, heard.size(), heard.toString());
        assertTrue(heard.get(1).startsWith("faulty: a status line that is no message: GET / HTTP/1.1\\x07"), heard.get(1));
        assertEquals("closed", heard.get(2));
    }

    @Test
    void anEndlessLineIsCutAtTheLimitWithoutReadingItAll() {
        InputStream endless = new InputStream() {
            long served;

            @Override
            public int read() {
                served++;
                if (served > 10_000_000) {
                    throw new AssertionError("read far past the limit");
                }
                return 'x';
            }
        };
        StatusPipeReader.read(endless, listener);
        assertEquals(List.of("faulty: a status line longer than " + StatusPipeReader.MAX_LINE_BYTES + " bytes", "closed"),
                heard);
    }

    @Test
    void aLongBootFailureStillFitsOneLine() {
        String reason = "é".repeat(5000);
        read(new WorkerMessage.BootFailed(4, reason).encode() + "\n");
        assertTrue(heard.get(0).startsWith("boot-failed 4 éé"), heard.get(0));
        assertEquals("closed", heard.get(1));
    }
}
