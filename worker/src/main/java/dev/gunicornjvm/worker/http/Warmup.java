package dev.gunicornjvm.worker.http;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;

/**
 * A standby's warm-up: one request to the app's warm-up path through an in-memory connector, so that
 * the request path (Jetty's parser, the Servlet environment, the app's first-request initialisation)
 * has run before the standby takes real traffic, and no client or shared listener sees it. Warm-up
 * requests are neither logged nor counted.
 */
final class Warmup {
    /** Threads its connector holds while it exists: one acceptor. */
    static final int THREADS = 1;
    private static final long TIMEOUT_SECONDS = 30;

    private final Server server;
    private final LocalConnector connector;

    Warmup(Server server, HttpConfiguration config) {
        this.server = server;
        this.connector = new LocalConnector(server, new HttpConnectionFactory(config));
        server.addConnector(connector);
    }

    /** Sends the request, waits for the whole answer, and removes the connector; returns the status line. */
    String run(String path) throws Exception {
        try {
            String response = connector.getResponse("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "User-Agent: gunicorn-jvm standby warm-up\r\nConnection: close\r\n\r\n", TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return response == null ? "no answer within " + TIMEOUT_SECONDS + " s" : response.lines().findFirst().orElse("");
        } finally {
            connector.stop();
            server.removeConnector(connector);
        }
    }

    /** True for a warm-up request: the access log and the request count leave it out. */
    static boolean isWarmup(Request request) {
        return request.getConnectionMetaData().getConnector() instanceof LocalConnector;
    }
}
