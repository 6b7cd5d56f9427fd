package dev.gunicornjvm.worker.http;

import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Gunicorn's rules for a request's {@code Transfer-Encoding} where they are stricter than Jetty's.
 * Jetty already refuses, with 400, a request whose last coding is not {@code chunked}, {@code chunked}
 * twice, and Transfer-Encoding together with Content-Length; so every request with codings that
 * reaches this handler ends in {@code chunked}. Then, as Gunicorn's {@code set_body_reader}:
 * <ul>
 *   <li>in an HTTP/1.0 request it is refused with 400. HTTP/1.0 has no transfer codings (RFC 9112,
 *       section 6.1), so a proxy that speaks it may frame the body by Content-Length or by the
 *       connection's end while Jetty reads it as chunked: the two would disagree about where the next
 *       request starts;</li>
 *   <li>a coding other than chunked, identity, gzip, deflate and compress is refused with 501;</li>
 *   <li>with gzip, deflate or compress, the connection is closed after the answer.</li>
 * </ul>
 * A refused request never reaches the app, and its connection is closed after the answer, so nothing
 * after its head is parsed as a request.
 */
public final class TransferCodings extends Handler.Wrapper {
    private static final Set<String> CLOSING = Set.of("gzip", "deflate", "compress");

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean closing = false;
        for (HttpField field : request.getHeaders().getFields(HttpHeader.TRANSFER_ENCODING)) {
            if (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0) {
                return refuse(request, response, callback, HttpStatus.BAD_REQUEST_400,
                        "Invalid header Transfer-Encoding (not allowed in HTTP/1.0)");
            }
            for (String value : field.getValues()) {
                String coding = value.strip().toLowerCase(Locale.ROOT);
                if (CLOSING.contains(coding)) {
                    closing = true;
                } else if (!coding.equals("chunked") && !coding.equals("identity")) {
                    return refuse(request, response, callback, HttpStatus.NOT_IMPLEMENTED_501,
                            "Unsupported transfer coding " + value.strip());
                }
            }
        }
        if (closing) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        return super.handle(request, response, callback);
    }

    private static boolean refuse(Request request, Response response, Callback callback, int status, String why) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        Response.writeError(request, response, callback, status, why);
        return true;
    }
}
