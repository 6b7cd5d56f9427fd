package dev.gunicornjvm.worker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.http.HeaderMap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gunicorn's request checks of a worker ({@link RequestLimits}, {@link TransferCodings}) in a real Jetty
 * server on an ephemeral port, with the worker's own HTTP configuration, in the order the worker chains
 * them, in front of an app that echoes the header fields it sees and never reads a body. Requests are
 * raw bytes over a socket, so what is tested is what a client on the wire gets.
 */
class RequestChecksTest {
    private static final String HOST = "Host: x\r\n";
    private Server server;
    private int port;

    private void start(int fieldSize, HeaderMap headerMap) throws Exception {
        RequestLimits limits = new RequestLimits(4094, 100, fieldSize, headerMap);
        server = new Server();
        ServerConnector connector = new ServerConnector(server,
                new HttpConnectionFactory(HttpServer.httpConfiguration(limits)));
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(10_000); // longer than any answer here: a close seen is the server's choice
        server.addConnector(connector);
        TransferCodings codings = new TransferCodings();
        limits.setHandler(codings);
        codings.setHandler(new EchoHeaders());
        server.setHandler(limits);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aHeaderWithAnUnderscoreIsDroppedByDefault() throws Exception {
        start(8190, HeaderMap.DROP);
        String response = exchange("GET / HTTP/1.1\r\n" + HOST + "X_Forwarded_For: 6.6.6.6\r\n"
                + "X-Forwarded-For: 1.2.3.4\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.contains("X-Forwarded-For=1.2.3.4\n"), response);
        assertFalse(response.contains("6.6.6.6"), "the app never sees the field with _:\n" + response);
    }

    @Test
    void aHeaderWithAnUnderscoreIsRefusedOrPassedAsHeaderMapSays() throws Exception {
        start(8190, HeaderMap.REFUSE);
        String refused = exchange("GET / HTTP/1.1\r\n" + HOST + "X_Forwarded_For: 6.6.6.6\r\n\r\n");
        assertTrue(refused.startsWith("HTTP/1.1 400"), refused);
        assertFalse(refused.contains("X_Forwarded_For="), refused);
        stop();
        start(8190, HeaderMap.DANGEROUS);
        String passed = exchange("GET / HTTP/1.1\r\n" + HOST + "X_Forwarded_For: 6.6.6.6\r\nConnection: close\r\n\r\n");
        assertTrue(passed.contains("X_Forwarded_For=6.6.6.6\n"), passed);
    }

    @Test
    void aFieldLineIsCountedWholeWithItsLineEnd() throws Exception {
        start(100, HeaderMap.DROP);
        // "X-Long: " + value + CRLF: 8 + 90 + 2 = 100 bytes fits; one more byte does not.
        String fits = exchange("GET / HTTP/1.1\r\n" + HOST + "X-Long: " + "v".repeat(90) + "\r\nConnection: close\r\n\r\n");
        assertTrue(fits.startsWith("HTTP/1.1 200"), fits);
        String over = exchange("GET / HTTP/1.1\r\n" + HOST + "X-Long: " + "v".repeat(91) + "\r\n\r\n");
        assertTrue(over.startsWith("HTTP/1.1 431"), over);
        // A dropped field still counts against the size, as in Gunicorn.
        String droppedButTooLong = exchange("GET / HTTP/1.1\r\n" + HOST + "X_Long: " + "v".repeat(91) + "\r\n\r\n");
        assertTrue(droppedButTooLong.startsWith("HTTP/1.1 431"), droppedButTooLong);
    }

    @Test
    void transferEncodingInHttp10IsRefused() throws Exception {
        start(8190, HeaderMap.DROP);
        String response = exchange("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertFalse(response.contains("Transfer-Encoding=chunked"), "the app was not called:\n" + response);
        String chunkedLast = exchange("POST / HTTP/1.0\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
        assertTrue(chunkedLast.startsWith("HTTP/1.1 400"), chunkedLast);
    }

    @Test
    void transferCodingsAreGunicornsOnly() throws Exception {
        start(8190, HeaderMap.DROP);
        String next = "GET /next HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n";
        String unknown = exchange("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n" + next);
        assertTrue(unknown.startsWith("HTTP/1.1 501"), unknown);
        assertFalse(unknown.contains("/next"), unknown);
        // gzip is the app's to decode, and the connection ends after the answer, as in Gunicorn.
        String gzip = exchange("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + next);
        assertTrue(gzip.startsWith("HTTP/1.1 200"), gzip);
        assertFalse(gzip.contains("/next"), gzip);
        String identity = exchange("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n"
                + next);
        assertTrue(identity.startsWith("HTTP/1.1 200") && identity.contains("GET /next"), identity);
    }

    @Test
    void aMalformedChunkedBodyTheAppNeverReadsEndsTheConnection() throws Exception {
        start(8190, HeaderMap.DROP);
        String smuggled = "GET /smuggled HTTP/1.1\r\n" + HOST + "\r\n";
        for (String badBody : new String[] {"zz\r\n", "5\r\nabcdefgh\r\n0\r\n\r\n", "3\nabc\n0\n\n",
                "3;x=\"unclosed\r\nabc\r\n0\r\n\r\n"}) {
            String response = exchange("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n" + badBody
                    + smuggled);
            assertEquals(1, response.split("HTTP/1.1 ", -1).length - 1, "one answer only:\n" + response);
            assertFalse(response.contains("/smuggled"), response);
        }
        // The control: a well-formed body, unread by the app, lets the next request on the connection through.
        String response = exchange("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                + "GET /next HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");
        assertTrue(response.contains("GET /next"), response);
    }

    @Test
    void aChunkedBodyNotFullyArrivedWhenTheAppHasAnsweredEndsTheConnection() throws Exception {
        start(8190, HeaderMap.DROP);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            // The body's last chunk never comes: the worker does not wait for it to find a next request.
            s.getOutputStream().write(("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String response = readUntilClosed(s.getInputStream());
            assertEquals(1, response.split("HTTP/1.1 ", -1).length - 1, response);
        }
    }

    /** Sends the bytes, then reads until the server closes the connection; fails if it never does. */
    private String exchange(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readUntilClosed(s.getInputStream());
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was left open after:\n" + out.toString(StandardCharsets.ISO_8859_1));
        } catch (java.net.SocketException reset) {
            // A reset after the answer still closes the connection.
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Answers with the request line and one {@code Name=value} line per header field; never reads a body. */
    private static final class EchoHeaders extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            StringBuilder text = new StringBuilder(request.getMethod()).append(' ')
                    .append(request.getHttpURI().getPathQuery()).append('\n');
            for (HttpField field : request.getHeaders()) {
                text.append(field.getName()).append('=').append(field.getValue()).append('\n');
            }
            Content.Sink.write(response, true, text.toString(), callback);
            return true;
        }
    }
}
