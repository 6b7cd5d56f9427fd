package dev.gunicornjvm.worker.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Gunicorn's request limits, checked on what Jetty parsed (Jetty itself refuses anything malformed, and
 * header blocks larger than {@link #headerBlockBytes()}): a request line longer than {@code line} gets
 * 414, more than {@code fields} header fields or one longer than {@code fieldSize} get 431, and the
 * connection is closed after the answer.
 */
public final class RequestLimits extends Handler.Wrapper {
    /** Jetty's limit for the whole header block; beyond it Jetty answers 431 itself. */
    private static final int MAX_HEADER_BLOCK = 64 * 1024;

    private final int line;
    private final int fields;
    private final int fieldSize;

    public RequestLimits(int line, int fields, int fieldSize) {
        this.line = line;
        this.fields = fields;
        this.fieldSize = fieldSize;
    }

    /** "LINE,FIELDS,FIELD_SIZE", as the master passes them. */
    public static RequestLimits parse(String text) {
        String[] parts = text.split(",");
        return new RequestLimits(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    /** The whole header block may hold the longest request line and every field at its largest. */
    public int headerBlockBytes() {
        long all = line + 2L + (long) fields * ((fieldSize == 0 ? MAX_HEADER_BLOCK : fieldSize) + 2L) + 2L;
        return (int) Math.min(MAX_HEADER_BLOCK, all);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String target = request.getHttpURI().getPathQuery();
        int requestLine = request.getMethod().length() + 1 + (target == null ? 1 : target.length()) + 1
                + request.getConnectionMetaData().getProtocol().length();
        if (requestLine > line) {
            return refuse(request, response, callback, HttpStatus.URI_TOO_LONG_414,
                    "Request line is too large (" + requestLine + " > " + line + ")");
        }
        if (request.getHeaders().size() > fields) {
            return refuse(request, response, callback, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                    "Too many header fields (" + request.getHeaders().size() + " > " + fields + ")");
        }
        if (fieldSize > 0) {
            for (HttpField field : request.getHeaders()) {
                int size = field.getName().length() + 2 + (field.getValue() == null ? 0 : field.getValue().length());
                if (size > fieldSize) {
                    return refuse(request, response, callback, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                            "Header field " + field.getName() + " is too large (" + size + " > " + fieldSize + ")");
                }
            }
        }
        return super.handle(request, response, callback);
    }

    private static boolean refuse(Request request, Response response, Callback callback, int status, String why) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        Response.writeError(request, response, callback, status, why);
        return true;
    }
}
