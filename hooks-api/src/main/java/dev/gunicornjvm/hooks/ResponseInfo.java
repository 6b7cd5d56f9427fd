package dev.gunicornjvm.hooks;

/**
 * How a request ended, for {@link ServerHooks#postRequest}.
 *
 * @param status        the response's status code
 * @param durationNanos from just before {@link ServerHooks#preRequest} to the response's completion
 * @param failed        true when the response did not complete normally (an exception, a reset connection)
 */
public record ResponseInfo(int status, long durationNanos, boolean failed) {
}
