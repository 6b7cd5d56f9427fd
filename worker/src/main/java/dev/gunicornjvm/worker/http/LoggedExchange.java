package dev.gunicornjvm.worker.http;

/**
 * What the access log reads of one finished request: a view of Jetty's request and response
 * ({@link JettyExchange}), or a fixed one in tests.
 */
interface LoggedExchange {
    /** The client's address (after the trusted-proxy rules), or {@code -} for a Unix-domain peer. */
    String remoteAddr();

    /** When the request began, in epoch milliseconds. */
    long startMillis();

    /** From the request's start to the last byte of the answer. */
    long durationNanos();

    String method();

    /** The request target as sent: the path with its query, still encoded. */
    String target();

    /** The path, decoded. */
    String path();

    /** The query, still encoded, or null without one. */
    String query();

    /** {@code HTTP/1.1}, {@code HTTP/2.0}. */
    String protocol();

    int status();

    /** Bytes of the answer's body written. */
    long bytes();

    /** A request header's first value, by name in any case; null when absent. */
    String requestHeader(String name);

    /** A response header's first value; null when absent. */
    String responseHeader(String name);

    /** A request attribute; null when unset. */
    Object attribute(String name);
}
