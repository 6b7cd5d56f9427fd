package dev.gunicornjvm.master.config;

import dev.gunicornjvm.common.app.AppLoader;
import dev.gunicornjvm.master.app.AppSettings;
import dev.gunicornjvm.master.app.AppSource;
import dev.gunicornjvm.master.app.ServletApis;
import java.io.IOException;
import java.util.zip.ZipFile;

/**
 * Checks the app in the master before any worker starts, without running its code, so that a wrong APP
 * or classpath, or a WAR that is not one, is one line at start (or a refused reload), not a crash
 * loop of workers: a Servlet class is loaded (not initialised), a WAR's zip directory read. What only
 * deploying can tell (a bad web.xml, an initializer that throws) shows when the first workers boot.
 */
public final class AppCheck {
    private AppCheck() {
    }

    public static void check(Settings settings) throws AppLoader.AppLoadException {
        AppSettings app = settings.app();
        if (app.source() instanceof AppSource.ServletClass servlet) {
            ServletApis.check(app.classpath(), servlet.className(), app.servletApi());
        } else if (app.source() instanceof AppSource.War war) {
            try (ZipFile zip = new ZipFile(war.file().toFile())) {
                if (zip.size() == 0) {
                    throw new IOException("it is empty");
                }
            } catch (IOException e) {
                throw new AppLoader.AppLoadException("cannot read " + war.file() + " as a WAR (a zip file): "
                        + e.getMessage(), e);
            }
        }
    }
}
