package dev.gunicornjvm.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A test client: the JDK's HttpClient for TCP, a plain HTTP/1.0 exchange for Unix sockets. */
final class Http {
    /** Status and body of one exchange; status -1 when the request failed (reset, refused, ...). */
    record Reply(int status, String body, String error, java.util.Map<String, java.util.List<String>> headers) {
        Reply(int status, String body, String error) {
            this(status, body, error, java.util.Map.of());
        }

        String header(String name) {
            java.util.List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        boolean ok() {
            return status == 200;
        }

        /** The worker pid the hello app names in its answer. */
        long workerPid() {
            String marker = "worker ";
            int i = body.indexOf(marker);
            if (i < 0) {
                return -1;
            }
            int end = body.indexOf(' ', i + marker.length());
            return Long.parseLong(body.substring(i + marker.length(), end));
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

    private Http() {
    }

    static Reply get(String url) {
        return get(url, Duration.ofSeconds(30));
    }

    static Reply get(String url, Duration timeout) {
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), null, r.headers().map());
        } catch (IOException e) {
            return new Reply(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "", "interrupted");
        }
    }

    /** One request on a new connection that closes after it (no keep-alive). */
    static Reply getClosing(String host, int port, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(30_000);
            return exchange(s.getInputStream(), s.getOutputStream(), path);
        } catch (IOException e) {
            return new Reply(-1, "", e.toString());
        }
    }

    /**
     * One request on a new connection, with extra header lines (e.g. "Cookie: ..."), answered in full:
     * status, headers (names lower-cased) and body. A new connection each time, so that successive
     * requests are spread over the workers.
     */
    static Reply request(int port, String path, String... headers) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.0\r\nHost: test\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            s.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                return new Reply(-1, response, "no end of headers");
            }
            String[] head = response.substring(0, headEnd).split("\r\n");
            java.util.Map<String, java.util.List<String>> fields = new java.util.TreeMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                fields.computeIfAbsent(head[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                        k -> new java.util.ArrayList<>()).add(head[i].substring(colon + 1).trim());
            }
            return new Reply(Integer.parseInt(head[0].split(" ")[1]), response.substring(headEnd + 4), null, fields);
        } catch (IOException | RuntimeException e) {
            return new Reply(-1, "", e.toString());
        }
    }

    /**
     * Raw bytes sent on a new connection, and everything the server sends back until it closes the
     * connection; fails if the server leaves it open for 10 s. For requests no well-behaved client sends.
     */
    static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readUntilClosed(s.getInputStream());
        }
    }

    /** Everything until the server closes the connection; fails if it keeps it open. */
    static String readUntilClosed(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the connection was left open after:\n" + out.toString(StandardCharsets.ISO_8859_1));
        } catch (java.net.SocketException reset) {
            // A reset after the answer still closes the connection.
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** How many responses a raw exchange holds: one per status line. */
    static int responses(String raw) {
        return raw.split("HTTP/1\\.1 \\d{3} ", -1).length - 1;
    }

    static Reply getUnix(Path socket, String path) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return exchange(Channels.newInputStream(ch), Channels.newOutputStream(ch), path);
        } catch (IOException e) {
            return new Reply(-1, "", e.toString());
        }
    }

    private static Reply exchange(InputStream in, OutputStream out, String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.0\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        int firstSpace = response.indexOf(' ');
        if (firstSpace < 0) {
            return new Reply(-1, response, "no status line");
        }
        int status = Integer.parseInt(response.substring(firstSpace + 1, firstSpace + 4));
        int bodyStart = response.indexOf("\r\n\r\n");
        return new Reply(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4), null);
    }
}
