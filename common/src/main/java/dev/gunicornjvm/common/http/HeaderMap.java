package dev.gunicornjvm.common.http;

import java.util.Locale;

/**
 * Gunicorn's {@code --header-map}: what a worker does with a request header whose name holds an
 * {@code _}. RFC 9110 allows such names, but a server that maps header names to variables (WSGI's
 * {@code HTTP_X_FORWARDED_FOR}, CGI, many frameworks and proxies) cannot tell {@code X_Forwarded_For}
 * from {@code X-Forwarded-For}, so a client could pass one off as the other. The master validates the
 * value; each worker applies it to every request before the app sees it.
 */
public enum HeaderMap {
    /** Gunicorn's default: the header is removed, as if it had never been sent. */
    DROP("drop"),
    /** The request is answered 400 (Gunicorn's InvalidHeaderName). */
    REFUSE("refuse"),
    /** The header reaches the app, as before Gunicorn 22. */
    DANGEROUS("dangerous");

    public static final HeaderMap DEFAULT = DROP;

    private final String id;

    HeaderMap(String id) {
        this.id = id;
    }

    /** The option's value, as Gunicorn spells it. */
    public String id() {
        return id;
    }

    /** True for a header name this setting is about. */
    public static boolean applies(String headerName) {
        return headerName.indexOf('_') >= 0;
    }

    /** As Gunicorn does: case and surrounding blanks do not matter. */
    public static HeaderMap parse(String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        for (HeaderMap map : values()) {
            if (map.id.equals(wanted)) {
                return map;
            }
        }
        throw new IllegalArgumentException("--header-map '" + value + "' is not one of drop, refuse, dangerous");
    }
}
