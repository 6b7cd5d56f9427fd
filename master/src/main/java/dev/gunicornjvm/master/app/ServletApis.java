package dev.gunicornjvm.master.app;

import dev.gunicornjvm.common.app.AppLoader;
import dev.gunicornjvm.common.app.ServletEnvironment;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a Servlet class in the master, which never runs app code and has no Servlet API of its own:
 * the class is loaded, not initialised, against the APIs of the environments in lib/, and the one
 * whose Servlet interface it implements is the environment its workers run in.
 */
public final class ServletApis {
    private ServletApis() {
    }

    /**
     * @param requested --servlet-api, or null to take the Servlet API the class is written for
     * @return the environment to run it in
     */
    public static ServletEnvironment check(List<Path> classpath, String className, ServletEnvironment requested)
            throws AppLoader.AppLoadException {
        List<ServletEnvironment> candidates = requested != null ? List.of(requested)
                : List.of(ServletEnvironment.DEFAULT, ServletEnvironment.EE8);
        try (URLClassLoader apis = loader(candidates)) {
            AppLoader.LoadedApp app = AppLoader.load(classpath, className, apis, candidates);
            try {
                app.loader().close();
            } catch (IOException ignored) {
                // Closing only releases the jar files early; the class loaded, which is what was checked.
            }
            return app.environment();
        } catch (IOException e) {
            throw new AppLoader.AppLoadException("cannot read the Servlet API jars: " + e.getMessage(), e);
        }
    }

    /**
     * The environments' jars from lib/; the master's own class path when it runs from a module's
     * classes (its unit tests), where the test class path lends a Servlet API.
     */
    private static URLClassLoader loader(List<ServletEnvironment> environments) {
        Path lib = ServletEnvironment.libDirectory();
        List<URL> urls = new ArrayList<>();
        if (lib != null) {
            for (ServletEnvironment environment : environments) {
                for (Path jar : environment.jars(lib)) {
                    try {
                        urls.add(jar.toUri().toURL());
                    } catch (MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        ClassLoader parent = urls.isEmpty() ? ServletApis.class.getClassLoader() : ClassLoader.getPlatformClassLoader();
        return new URLClassLoader("servlet-apis", urls.toArray(URL[]::new), parent);
    }
}
