package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.master.config.Settings;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The settings a running master cannot change, captured once when it starts: where its pidfile and
 * control socket are, whether it detached, and the workers' uid that may use the control socket. A HUP that changes one says so; the change takes effect
 * at the next start or USR2 (whose new master reads the configuration afresh).
 */
record StartupSettings(Path pidFile, Path controlDirectory, boolean daemon, OptionalInt workerUid) {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    static StartupSettings of(Settings settings) {
        return new StartupSettings(settings.pidFile(), settings.controlDirectory(), settings.daemon(),
                settings.workerUser() == null ? OptionalInt.empty() : OptionalInt.of(settings.workerUser().uid()));
    }

    /** One line per setting that a reload changed but that stays as it was started. */
    void warnIfChanged(Settings next) {
        warn("pidfile", pidFile, next.pidFile());
        warn("control directory", controlDirectory, next.controlDirectory());
        warn("daemon", daemon, next.daemon());
    }

    private static void warn(String what, Object started, Object reloaded) {
        if (!Objects.equals(started, reloaded)) {
            LOG.warn("The {} stays {} until the next start or USR2: a running master cannot change it (the"
                    + " configuration now says {})", what, started, reloaded);
        }
    }
}
