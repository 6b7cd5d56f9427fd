package dev.gunicornjvm.ctl;

import dev.gunicornjvm.ctl.client.ControlJson;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;

/**
 * The first use of Jackson (its streaming API, ControlJson) and of Unix sockets, done on a second core
 * while the main thread has picocli build the command model: neither needs the other. (A plain
 * {@code gunictl status} builds no model and does without this: FastStatus.) The thread only initializes what is thread-safe to share (classes, Jackson's factory) and
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
            String answer = "{\"v\":1,\"id\":\"warm-up\",\"ok\":true,\"status\":"
                    + ControlJson.write(StartupTraining.sampleStatus()) + "}";
            ControlJson.response(answer);
            SocketChannel.open(StandardProtocolFamily.UNIX).close();
        } catch (IOException | RuntimeException e) {
            // Nothing is lost: the command does this work itself when it gets there.
        }
    }
}
