package dev.gunicornjvm.ctl;

import dev.gunicornjvm.common.control.ControlCommand;
import dev.gunicornjvm.common.control.ControlProtocol;
import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.ControlResponse;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * The first use of Jackson and of Unix sockets, done on a second core while the main thread has
 * picocli build the command model: each is about a third of gunictl's start-up, and neither needs the
 * other. The thread only initializes what is thread-safe to share (the ObjectMapper, JDK classes) and
 * keeps nothing; a command that gets there first simply does the same work itself.
 */
final class WarmUp {
    private WarmUp() {
    }

    static void start() {
        Thread thread = new Thread(WarmUp::run, "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            ControlProtocol.JSON.writeValueAsString(ControlRequest.of("warm-up", ControlCommand.STATUS, Map.of()));
            String answer = ControlProtocol.JSON.writeValueAsString(
                    ControlResponse.success("warm-up", StartupTraining.sampleStatus()));
            ControlProtocol.JSON.readValue(answer, ControlResponse.class);
            SocketChannel.open(StandardProtocolFamily.UNIX).close();
        } catch (IOException | RuntimeException e) {
            // Nothing is lost: the command does this work itself when it gets there.
        }
    }
}
