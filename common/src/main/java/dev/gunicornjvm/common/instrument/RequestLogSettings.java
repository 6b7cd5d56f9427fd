package dev.gunicornjvm.common.instrument;

import dev.gunicornjvm.common.logging.AccessLogFormat;
import dev.gunicornjvm.common.statsd.StatsdTarget;

/**
 * What each request leaves behind besides its answer, as master and workers are told: the access log's
 * format ({@code --access-logformat}, {@code --access-log-json}) and the StatsD metrics
 * ({@code --statsd-host}, {@code --statsd-prefix}, {@code --dogstatsd-tags}). Where the access log goes
 * is {@code --access-logfile}, with the other log settings.
 *
 * @param accessLogFormat Gunicorn's access_log_format, checked ({@link AccessLogFormat#parse})
 * @param accessLogJson   one JSON object per request instead of the format's line
 * @param statsd          where metrics go, or null for none
 */
public record RequestLogSettings(String accessLogFormat, boolean accessLogJson, StatsdTarget statsd) {
    /** Gunicorn's defaults: the combined log format, no StatsD. */
    public static final RequestLogSettings DEFAULT = new RequestLogSettings(AccessLogFormat.DEFAULT, false, null);

    public RequestLogSettings {
        accessLogFormat = accessLogFormat == null ? AccessLogFormat.DEFAULT : accessLogFormat;
    }

    /** The format, parsed; the master checked it, so a worker never sees it fail. */
    public AccessLogFormat format() {
        return AccessLogFormat.parse(accessLogFormat);
    }
}
