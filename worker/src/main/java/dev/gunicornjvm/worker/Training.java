package dev.gunicornjvm.worker;

import dev.gunicornjvm.worker.http.HttpServer;
import dev.gunicornjvm.worker.http.ListenerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The training run behind the workers' class-data sharing archive: the master starts one worker with
 * {@code --train} on a private loopback listener, and the JVM writes the archive of every class it
 * loaded when it exits. So the run does what a worker does (boot the app, accept, answer, drain, stop):
 * it requests the app's warm-up path ({@code --warmup-path}, by default the root path, which is a
 * webapp's welcome page), which takes a request through Jetty, the Servlet API and the app's own
 * request path, and sends one request without a Host header, which Jetty answers with 400 itself.
 * No app-specific code: what the training loads is what the app's first requests load.
 */
final class Training {
    private static final int TIMEOUT_MILLIS = 30_000;

    private Training() {
    }

    /** Sends the requests to the server's own listener, reads each answer to the end, then drains. */
    static void exercise(HttpServer server, ListenerSpec listener, String warmupPath)
            throws IOException, InterruptedException {
        URI uri = URI.create(listener.url());
        List<String> requests = List.of(
                "GET " + warmupPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        for (String request : requests) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[4096];
                while (in.read(buffer) >= 0) {
                    // The answer itself does not matter; reading it lets Jetty finish and close.
                }
            }
        }
        server.drain(TIMEOUT_MILLIS);
    }
}
