package dev.gunicornjvm.common.control;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The commands a master's control socket answers. On the wire a command is a name, so that a master
 * can answer a name it does not know with {@code unknown-command} instead of failing to parse.
 */
public enum ControlCommand {
    /** A {@link MasterStatus} snapshot. */
    STATUS,
    /** Sets the number of workers ({@code args.workers}), then answers as status does. */
    SCALE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ControlCommand> ofWire(String name) {
        return Arrays.stream(values()).filter(c -> c.wire().equals(name)).findFirst();
    }

    /** "status, scale": for error messages. */
    public static String known() {
        return Arrays.stream(values()).map(ControlCommand::wire).collect(Collectors.joining(", "));
    }
}
