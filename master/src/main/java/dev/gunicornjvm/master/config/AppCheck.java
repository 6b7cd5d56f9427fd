package dev.gunicornjvm.master.config;

import dev.gunicornjvm.common.app.AppLoader;
import java.io.IOException;

/**
 * Loads the app class once in the master and lets it go, so that a wrong APP or classpath is one line
 * at start (or a refused reload), not a crash loop of workers.
 */
final class AppCheck {
    private AppCheck() {
    }

    static void check(Settings settings) throws AppLoader.AppLoadException {
        try {
            AppLoader.load(settings.classpath(), settings.app()).loader().close();
        } catch (IOException ignored) {
            // Closing only releases the jar files early; the class loaded, which is what was checked.
        }
    }
}
