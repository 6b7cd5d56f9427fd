package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.master.app.StagedApp;
import dev.gunicornjvm.master.cds.CdsArchive;
import dev.gunicornjvm.master.config.Settings;
import dev.gunicornjvm.master.socket.Listener;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The workers started from one configuration: the master's first start is generation 1, every HUP
 * makes the next one. Its workers share these settings, listeners and argfile, the app as staged for
 * them (a WAR unpacked for this generation), and the class-data sharing archive made for them (empty
 * when sharing is off).
 */
record Generation(int number, Settings settings, List<Listener> listeners, Path argFile, Optional<CdsArchive> cds,
                  StagedApp app) {
    Generation {
        listeners = List.copyOf(listeners);
    }
}
