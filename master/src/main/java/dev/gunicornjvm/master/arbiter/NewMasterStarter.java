package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.socket.Listener;
import java.io.IOException;
import java.util.Map;

/** Starts the new master of a USR2 upgrade, handing it these listeners (by bind); returns its pid. */
@FunctionalInterface
interface NewMasterStarter {
    int start(Map<String, Listener> handed, Settings settings) throws IOException;
}
