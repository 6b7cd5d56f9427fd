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
 * ({@code jakarta.servlet.*}) comes from the server, because the container and the app must agree on it.
 */
public final class AppLoader {
    private AppLoader() {
    }

    /** The loaded app class, and the loader that owns it. */
    public record LoadedApp(Class<?> servletClass, URLClassLoader loader) {
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

    public static LoadedApp load(List<Path> classpath, String className) throws AppLoadException {
        String missing = missingEntry(classpath);
        if (missing != null) {
            throw new AppLoadException(missing, null);
        }
        URLClassLoader loader = new URLClassLoader("app", urls(classpath), new ServletApiOnly(AppLoader.class.getClassLoader()));
        try {
            Class<?> servlet = Class.forName("jakarta.servlet.Servlet", false, AppLoader.class.getClassLoader());
            Class<?> app = Class.forName(className, false, loader);
            if (!servlet.isAssignableFrom(app)) {
                throw new AppLoadException("class " + className + " is not a jakarta.servlet.Servlet"
                        + " (APP must name a Servlet class, e.g. one extending HttpServlet)", null);
            }
            return new LoadedApp(app, loader);
        } catch (ClassNotFoundException e) {
            close(loader);
            throw new AppLoadException("class " + className + " not found on the classpath "
                    + classpath + " (check APP and -cp/--classpath)", e);
        } catch (LinkageError e) {
            close(loader);
            throw new AppLoadException("class " + className + " cannot be loaded: " + e, e);
        } catch (AppLoadException e) {
            close(loader);
            throw e;
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

        ServletApiOnly(ClassLoader server) {
            super("servlet-api", ClassLoader.getPlatformClassLoader());
            this.server = server;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("jakarta.servlet.")) {
                return server.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
