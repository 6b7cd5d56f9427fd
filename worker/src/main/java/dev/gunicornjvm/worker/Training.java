package dev.gunicornjvm.worker;

import dev.gunicornjvm.worker.http.HttpServer;
import dev.gunicornjvm.worker.http.ListenerSpec;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
 * loaded when it exits. So the run does what a worker does (boot the app, accept, answer, drain, stop)
 * without calling the app's code beyond its init, as Spring Boot's training runs also stop short of
 * serving: its requests go to a servlet of ours at a path of its own, which takes the same way through
 * Jetty and the Servlet API as a request to the app, and one has no Host header, which Jetty answers
 * with 400 itself.
 */
final class Training {
    private static final int TIMEOUT_MILLIS = 5000;
    private static final String PATH = "/.gunicorn-jvm/cds-training";
    private static final List<String> REQUESTS = List.of(
            "GET " + PATH + "?q=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");

    private Training() {
    }

    /** Before the server starts: the servlet the training requests go to, instead of the app. */
    static void prepare(HttpServer server) {
        server.addServlet(new TrainingServlet(), PATH);
    }

    /** Sends the requests to the server's own listener, reads each answer to the end, then drains. */
    static void exercise(HttpServer server, ListenerSpec listener) throws IOException, InterruptedException {
        URI uri = URI.create(listener.url());
        for (String request : REQUESTS) {
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

    /** Answers as a typical servlet does: parameters read, a content type set, text written. */
    private static final class TrainingServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            request.getParameter("q");
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().println("trained");
        }
    }
}
