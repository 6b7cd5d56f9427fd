package dev.gunicornjvm.common.hooks;

import dev.gunicornjvm.hooks.ServerHooks;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the {@code --hooks} class from {@code -cp} in a class loader of its own, whose parent lends it
 * the hooks API ({@code dev.gunicornjvm.hooks}) and otherwise only the JDK: the hooks see none of the
 * server's libraries, and the master, which otherwise never runs app code, loads only this class (and
 * what it uses). The same in master and workers, so that both refuse a class for the same reasons.
 */
public final class HooksLoader {
    private static final String API_PACKAGE = ServerHooks.class.getPackageName() + ".";

    private HooksLoader() {
    }

    /**
     * Checks that {@code className} is on the classpath, implements {@link ServerHooks} and has a public
     * no-argument constructor, without running any of its code.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static void check(String className, List<Path> classpath) {
        try (URLClassLoader loader = loader(classpath)) {
            constructor(className, loader);
        } catch (java.io.IOException e) {
            // Closing only releases jar files early.
        }
    }

    /**
     * Loads and instantiates the class.
     *
     * @throws IllegalArgumentException with a one-line reason (also when the constructor throws)
     */
    public static ServerHooks load(String className, List<Path> classpath) {
        URLClassLoader loader = loader(classpath);
        try {
            return constructor(className, loader).newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("--hooks " + className + ": its constructor threw " + e.getCause(), e);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("--hooks " + className + " cannot be made: " + e, e);
        }
    }

    private static Constructor<? extends ServerHooks> constructor(String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--hooks class " + className + " not found on the classpath (check"
                    + " --hooks and -cp/--classpath)");
        } catch (LinkageError e) {
            throw new IllegalArgumentException("--hooks class " + className + " cannot be loaded: " + e);
        }
        if (!ServerHooks.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("--hooks class " + className + " does not implement "
                    + ServerHooks.class.getName());
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("--hooks class " + className + " must be a public, concrete class");
        }
        try {
            return type.asSubclass(ServerHooks.class).getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("--hooks class " + className + " has no public no-argument constructor");
        }
    }

    /** True when the class overrides the method: the worker wraps requests only for hooks that want them. */
    public static boolean overrides(ServerHooks hooks, String method) {
        for (java.lang.reflect.Method m : ServerHooks.class.getMethods()) {
            if (m.getName().equals(method)) {
                try {
                    return hooks.getClass().getMethod(method, m.getParameterTypes()).getDeclaringClass()
                            != ServerHooks.class;
                } catch (NoSuchMethodException e) {
                    return false;
                }
            }
        }
        throw new IllegalArgumentException("no hook " + method);
    }

    private static URLClassLoader loader(List<Path> classpath) {
        List<URL> urls = new ArrayList<>();
        for (Path p : classpath) {
            try {
                urls.add(p.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad classpath entry " + p);
            }
        }
        return new URLClassLoader("hooks", urls.toArray(new URL[0]), new ApiOnly(ServerHooks.class.getClassLoader()));
    }

    /** A parent that lends the hooks API from the server, and otherwise only the JDK. */
    private static final class ApiOnly extends ClassLoader {
        private final ClassLoader server;

        ApiOnly(ClassLoader server) {
            super("hooks-api", ClassLoader.getPlatformClassLoader());
            this.server = server;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(API_PACKAGE)) {
                return server.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
