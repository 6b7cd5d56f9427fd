package dev.gunicornjvm.master.app;

import dev.gunicornjvm.common.app.ServletEnvironment;
import java.nio.file.Path;
import java.util.List;

/**
 * What the workers of one generation deploy, ready on disk.
 *
 * @param environment   the Servlet environment they run it in
 * @param webapp        the webapp directory (a WAR unpacked for this generation, or the user's directory
 *                      as it resolved when the generation started); null for a Servlet class
 * @param classpath     -cp: the Servlet's class path, or entries added to the webapp's
 * @param workDirectory the generation's scratch directory; each worker uses a subdirectory of its own
 */
public record StagedApp(ServletEnvironment environment, Path webapp, List<Path> classpath, Path workDirectory) {
    public StagedApp {
        classpath = List.copyOf(classpath);
    }
}
