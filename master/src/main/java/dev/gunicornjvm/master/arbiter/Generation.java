package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.socket.Listener;
import java.nio.file.Path;
import java.util.List;

/**
 * The workers started from one configuration: the master's first start is generation 1, every HUP
 * makes the next one. Its workers share these settings, listeners and argfile.
 */
record Generation(int number, Settings settings, List<Listener> listeners, Path argFile) {
    Generation {
        listeners = List.copyOf(listeners);
    }
}
