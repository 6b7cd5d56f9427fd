package dev.gunicornjvm.it;

import dev.gunicornjvm.common.control.ControlProtocol;
import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.ControlResponse;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** A test's own client for a master's control socket: one JSON request, one JSON response. */
final class ControlClient {
    private ControlClient() {
    }

    static Path socketOf(Gunicorn g) {
        return g.dir().resolve("gunicorn.pid.ctl").resolve(g.pid() + ".sock");
    }

    static ControlResponse call(Path socket, String command, Map<String, Object> args) throws IOException {
        return send(socket, ControlProtocol.JSON.writeValueAsString(
                new ControlRequest(ControlProtocol.VERSION, UUID.randomUUID().toString(), command, args)));
    }

    static ControlResponse send(Path socket, String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            var out = Channels.newOutputStream(ch);
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String reply = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8).trim();
            return ControlProtocol.JSON.readValue(reply, ControlResponse.class);
        }
    }
}
