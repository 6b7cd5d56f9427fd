package dev.gunicornjvm.worker;

import dev.gunicornjvm.worker.http.HttpServer;
import dev.gunicornjvm.worker.http.ListenerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The training run behind the workers' class-data sharing archive: the master starts one worker with
 * {@code --train} on a private loopback listener, and the JVM writes the archive of every class it
 * loaded when it exits. So the run does what a worker does (boot the app, accept, answer, drain, stop)
 * without calling the app's code beyond its init: its one request has no Host header, which Jetty
 * answers with 400 itself, as Spring Boot's training runs also stop short of serving.
 */
final class Training {
    private static final int TIMEOUT_MILLIS = 5000;
    private static final byte[] REQUEST =
            "GET / HTTP/1.1\r\nUser-Agent: gunicorn-jvm-cds-training\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);

    private Training() {
    }

    /** Sends the request to the server's own listener and reads the answer to the end. */
    static void exercise(HttpServer server, ListenerSpec listener) throws IOException, InterruptedException {
        URI uri = URI.create(listener.url());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write(REQUEST);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // The answer itself does not matter; reading it lets Jetty finish and close.
            }
        }
        server.drain(TIMEOUT_MILLIS);
    }
}
