package dev.gunicornjvm.worker.app;

import dev.gunicornjvm.common.app.ServletEnvironment;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * What a Servlet environment (worker/ee11, ee10 or ee8) does for the worker: turn the app into a Jetty
 * handler. The worker core speaks only Jetty's core API; each environment's jar, with its Servlet API
 * and Jetty modules, is on the class path of exactly the workers that run an app made for it, and the
 * worker finds its one implementation with {@link java.util.ServiceLoader}.
 */
public interface AppDeployer {
    ServletEnvironment environment();

    /**
     * The app as a handler of {@code server}, not started: everything that can only fail while the app
     * starts (a bad web.xml, an initializer or init() that throws) fails when the server starts, which
     * then throws, so that a worker never reports ready with an app that did not deploy.
     */
    Deployment deploy(AppSpec spec, Server server) throws Exception;

    /**
     * The core handler of a context: ee10 and ee11 contexts are core handlers themselves, while ee8's
     * are Jetty's "nested" contexts, which supply one.
     */
    static Handler coreHandler(Object context) {
        if (context instanceof Handler handler) {
            return handler;
        }
        @SuppressWarnings("unchecked")
        java.util.function.Supplier<Handler> nested = (java.util.function.Supplier<Handler>) context;
        return nested.get();
    }

    /** A deployed app. */
    interface Deployment {
        Handler handler();

        /** What the deployment found; meaningful once the server has started. */
        DeploymentReport report();
    }
}
