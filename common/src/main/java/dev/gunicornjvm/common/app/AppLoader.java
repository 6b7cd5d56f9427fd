package dev.gunicornjvm.common.app;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the user's Servlet class from {@code -cp} in a class loader of its own. The loader's parent
 * is the platform loader, so the app sees the JDK and its own jars but none of the server's libraries
 * (Jetty, Log4j, Jackson, jnr): an app may bring any version of those. Only the Servlet API itself
 * comes from the server, because the container and the app must agree on it.
 */
public final class AppLoader {
    private AppLoader() {
    }

    /**
     * The loaded app class, the loader that owns it, and the environment whose Servlet API it
     * implements (javax.servlet means ee8; jakarta.servlet the first jakarta one offered).
     */
    public record LoadedApp(Class<?> servletClass, URLClassLoader loader, ServletEnvironment environment) {
    }

    /** Why an app cannot be used; the message is one line that says what to fix. */
    public static final class AppLoadException extends Exception {
        public AppLoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Checks every classpath entry exists; returns the first missing one as a message, or null. */
    public static String missingEntry(List<Path> classpath) {
        for (Path entry : classpath) {
            if (!Files.exists(entry)) {
                return "classpath entry not found: " + entry + " (check -cp/--classpath)";
            }
        }
        return null;
    }

    /**
     * Loads {@code className} without initialising it.
     *
     * @param apiSource    the loader the Servlet API classes come from
     * @param environments the environments the class may be for, in order of preference; the first
     *                     whose {@code Servlet} interface it implements is the one it runs in
     */
    public static LoadedApp load(List<Path> classpath, String className, ClassLoader apiSource,
                                 List<ServletEnvironment> environments) throws AppLoadException {
        String missing = missingEntry(classpath);
        if (missing != null) {
            throw new AppLoadException(missing, null);
        }
        URLClassLoader loader = new URLClassLoader("app", urls(classpath),
                new ServletApiOnly(apiSource, environments.stream().map(ServletEnvironment::apiPackage).toList()));
        try {
            Class<?> app = Class.forName(className, false, loader);
            for (ServletEnvironment environment : environments) {
                Class<?> servlet = servletInterface(apiSource, environment);
                if (servlet != null && servlet.isAssignableFrom(app)) {
                    return new LoadedApp(app, loader, environment);
                }
            }
            throw new AppLoadException("class " + className + " is not a " + environments.get(0).apiPackage()
                    + "Servlet (APP must name a Servlet class, e.g. one extending HttpServlet)", null);
        } catch (ClassNotFoundException e) {
            close(loader);
            throw new AppLoadException("class " + className + " not found on the classpath "
                    + classpath + " (check APP and -cp/--classpath)", e);
        } catch (LinkageError e) {
            close(loader);
            String hint = e.getMessage() != null && e.getMessage().startsWith("javax/servlet/")
                    ? " (it uses javax.servlet: run it with --servlet-api ee8)" : "";
            throw new AppLoadException("class " + className + " cannot be loaded: " + e + hint, e);
        } catch (AppLoadException e) {
            close(loader);
            throw e;
        }
    }

    private static Class<?> servletInterface(ClassLoader apiSource, ServletEnvironment environment) {
        try {
            return Class.forName(environment.apiPackage() + "Servlet", false, apiSource);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // Closing only releases jar files early.
        }
    }

    private static URL[] urls(List<Path> classpath) {
        List<URL> urls = new ArrayList<>();
        for (Path p : classpath) {
            try {
                urls.add(p.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad classpath entry " + p, e);
            }
        }
        return urls.toArray(new URL[0]);
    }

    /** A parent loader that lends the app the Servlet API and otherwise only the JDK. */
    private static final class ServletApiOnly extends ClassLoader {
        private final ClassLoader server;
        private final List<String> apiPackages;

        ServletApiOnly(ClassLoader server, List<String> apiPackages) {
            super("servlet-api", ClassLoader.getPlatformClassLoader());
            this.server = server;
            this.apiPackages = List.copyOf(apiPackages);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            for (String api : apiPackages) {
                if (name.startsWith(api)) {
                    return server.loadClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }
    }
}
