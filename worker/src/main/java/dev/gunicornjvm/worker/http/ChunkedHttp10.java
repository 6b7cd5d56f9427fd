package dev.gunicornjvm.worker.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses a {@code Transfer-Encoding} in an HTTP/1.0 request with 400 and a closed connection, as
 * Gunicorn does (InvalidHeader TRANSFER-ENCODING). HTTP/1.0 has no transfer codings (RFC 9112, section
 * 6.1), so a proxy that speaks it may frame the body by Content-Length or by the connection's end while
 * Jetty reads it as chunked: the two would disagree about where the next request starts. Jetty accepts
 * chunked HTTP/1.0 bodies, and refuses with 400 any request whose last coding is not chunked, so every
 * such request that reaches this handler has chunked among its codings.
 *
 * <p>The app is not called and the body is not read: the connection is closed after the answer, so
 * nothing after this request's head is parsed as a request.
 */
public final class ChunkedHttp10 extends Handler.Wrapper {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0
                && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400,
                    "Invalid header Transfer-Encoding (not allowed in HTTP/1.0)");
            return true;
        }
        return super.handle(request, response, callback);
    }
}
