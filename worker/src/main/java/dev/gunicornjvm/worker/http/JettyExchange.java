package dev.gunicornjvm.worker.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;

/** A finished request as Jetty hands it to the request log. */
final class JettyExchange implements LoggedExchange {
    private final Request request;
    private final Response response;

    JettyExchange(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public String remoteAddr() {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        if (remote instanceof InetSocketAddress inet) {
            // From X-Forwarded-For or Forwarded, Jetty makes an unresolved address: its text is the client's.
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return "-"; // a Unix-domain peer has no address
    }

    @Override
    public long startMillis() {
        return Request.getTimeStamp(request);
    }

    @Override
    public long durationNanos() {
        return NanoTime.since(request.getBeginNanoTime());
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String target() {
        return request.getHttpURI().getPathQuery();
    }

    @Override
    public String path() {
        return request.getHttpURI().getDecodedPath();
    }

    @Override
    public String query() {
        return request.getHttpURI().getQuery();
    }

    @Override
    public String protocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public int status() {
        return response.getStatus();
    }

    @Override
    public long bytes() {
        return Response.getContentBytesWritten(response);
    }

    @Override
    public String requestHeader(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public String responseHeader(String name) {
        return response.getHeaders().get(name);
    }

    @Override
    public Object attribute(String name) {
        return request.getAttribute(name);
    }
}
