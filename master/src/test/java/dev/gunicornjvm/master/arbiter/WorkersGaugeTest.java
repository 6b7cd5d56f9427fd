package dev.gunicornjvm.master.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.statsd.Statsd;
import dev.gunicornjvm.common.statsd.StatsdTarget;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** gunicorn.workers: the workers kept (not standbys, not stopping ones), sent only when the number changes. */
class WorkersGaugeTest {
    @AfterEach
    void off() {
        Statsd.configure(null);
    }

    @Test
    void sentWhenTheNumberOfWorkersChanges() throws Exception {
        WorkerTable table = new WorkerTable();
        WorkersGauge gauge = new WorkersGauge();
        gauge.report(table); // no StatsD: nothing, and nothing remembered
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(5000);
            Statsd.configure(StatsdTarget.parse("127.0.0.1:" + server.getLocalPort(), "app", null));
            table.add(101, 1, 0, false);
            table.add(102, 1, 0, false).state = WorkerState.READY;
            table.add(103, 1, 0, true); // a standby
            table.add(104, 1, 0, false).state = WorkerState.STOPPING;
            gauge.report(table);
            assertEquals("app.gunicorn.workers:2|g", receive(server));
            gauge.report(table); // unchanged: not sent again
            table.add(105, 2, 0, false);
            gauge.report(table);
            assertEquals("app.gunicorn.workers:3|g", receive(server), "the next datagram is the new number");
        }
    }

    private static String receive(DatagramSocket server) throws Exception {
        byte[] buffer = new byte[1500];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        server.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).strip();
    }
}
