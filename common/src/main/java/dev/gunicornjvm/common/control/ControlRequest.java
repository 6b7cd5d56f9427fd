package dev.gunicornjvm.common.control;

import java.util.Map;

/**
 * One request to a master's control socket: one JSON object on one line, e.g.
 * {@code {"v":1,"id":"7f3c...","command":"scale","args":{"workers":3}}}. See docs/control-protocol.md.
 *
 * @param v       protocol version, {@link ControlProtocol#VERSION}
 * @param id      chosen by the client, echoed in the response
 * @param command a {@link ControlCommand}'s wire name; a string, so that an unknown one can be answered
 * @param args    command arguments; may be null
 */
public record ControlRequest(int v, String id, String command, Map<String, Object> args) {
    public static ControlRequest of(String id, ControlCommand command, Map<String, Object> args) {
        return new ControlRequest(ControlProtocol.VERSION, id, command.wire(), args);
    }
}
