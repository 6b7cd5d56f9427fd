package dev.gunicornjvm.worker.http;

import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * A request as the app should see it after {@code --header-map drop}: the same request, without the
 * dropped header fields. Jetty gives no meaning to a name with {@code _} (framing, Host and the like
 * have other names), so dropping one here changes only what the app, and the Servlet API above it,
 * is shown.
 */
final class WithoutFields extends Request.Wrapper {
    private final HttpFields headers;

    /** @param dropped fields of {@code request}, compared by identity */
    WithoutFields(Request request, List<HttpField> dropped) {
        super(request);
        HttpFields.Mutable kept = HttpFields.build(request.getHeaders().size());
        for (HttpField field : request.getHeaders()) {
            if (dropped.stream().noneMatch(d -> d == field)) {
                kept.add(field);
            }
        }
        headers = kept.asImmutable();
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }
}
