package dev.gunicornjvm.worker.http;

import dev.gunicornjvm.common.http.HeaderMap;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Gunicorn's checks of the request head, on what Jetty parsed (Jetty itself refuses anything malformed,
 * and header blocks larger than {@link #headerBlockBytes()}): a request line longer than {@code line}
 * gets 414; then the header fields are walked in order, as Gunicorn's {@code parse_headers} walks its
 * lines, and the first of these that happens decides: more than {@code fields} fields kept so far, or
 * a field line longer than {@code fieldSize}, gets 431; a name with {@code _} is dropped, refused with
 * 400 or kept, as {@code --header-map} says. The connection is closed after a refusal.
 *
 * <p>The header map is applied here, in the same walk, because Gunicorn interleaves it with the limits:
 * a dropped field still counts against the field size but not against the number of fields, and with
 * {@code refuse} whichever comes first, an oversized field or a name with {@code _}, sets the status.
 */
public final class RequestLimits extends Handler.Wrapper {
    /** Jetty's limit for the whole header block; beyond it Jetty answers 431 itself. */
    private static final int MAX_HEADER_BLOCK = 64 * 1024;
    /** The bytes of a field line besides its name and value: {@code ": "} and CRLF. */
    private static final int FIELD_LINE_OVERHEAD = 4;

    private final int line;
    private final int fields;
    private final int fieldSize;
    private final HeaderMap headerMap;

    public RequestLimits(int line, int fields, int fieldSize, HeaderMap headerMap) {
        this.line = line;
        this.fields = fields;
        this.fieldSize = fieldSize;
        this.headerMap = headerMap;
    }

    /** {@code limits} is "LINE,FIELDS,FIELD_SIZE", as the master passes them. */
    public static RequestLimits parse(String limits, HeaderMap headerMap) {
        String[] parts = limits.split(",");
        return new RequestLimits(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                headerMap);
    }

    /** The whole header block may hold the longest request line and every field at its largest. */
    public int headerBlockBytes() {
        long all = line + 2L + (long) fields * ((fieldSize == 0 ? MAX_HEADER_BLOCK : fieldSize) + 2L) + 2L;
        return (int) Math.min(MAX_HEADER_BLOCK, all);
    }

    /**
     * The length Gunicorn counts for a field: its whole line, CRLF included. Jetty keeps the name and the
     * value without the blanks around it, so the line is counted as written {@code Name: value}.
     */
    static int fieldLineLength(HttpField field) {
        return field.getName().length() + FIELD_LINE_OVERHEAD + (field.getValue() == null ? 0 : field.getValue().length());
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
        int kept = 0;
        List<HttpField> dropped = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            if (kept >= fields) {
                return refuse(request, response, callback, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                        "Too many header fields (more than " + fields + ")");
            }
            int size = fieldLineLength(field);
            if (fieldSize > 0 && size > fieldSize) {
                return refuse(request, response, callback, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                        "Header field " + field.getName() + " is too large (" + size + " > " + fieldSize + ")");
            }
            if (HeaderMap.applies(field.getName()) && headerMap != HeaderMap.DANGEROUS) {
                if (headerMap == HeaderMap.REFUSE) {
                    return refuse(request, response, callback, HttpStatus.BAD_REQUEST_400,
                            "Invalid header name " + field.getName() + " (--header-map refuse)");
                }
                dropped.add(field);
                continue;
            }
            kept++;
        }
        return super.handle(dropped.isEmpty() ? request : new WithoutFields(request, dropped), response, callback);
    }

    private static boolean refuse(Request request, Response response, Callback callback, int status, String why) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        Response.writeError(request, response, callback, status, why);
        return true;
    }
}
