package dev.gunicornjvm.master.config;

import dev.gunicornjvm.common.instrument.RequestLogSettings;
import dev.gunicornjvm.common.logging.AccessLogFormat;
import dev.gunicornjvm.common.statsd.StatsdTarget;
import picocli.CommandLine.Option;

/**
 * What each request leaves behind, with Gunicorn's option names: the access log's format, or JSON, and
 * the StatsD metrics. A picocli mixin of {@link GunicornCommand}; where the access log goes is
 * {@code --access-logfile}, with the other logs.
 */
final class RequestLogOptions {
    @Option(names = "--access-logformat", paramLabel = "STRING",
            description = "Access log format, with Gunicorn's atoms: %%(h)s client, %%(t)s time, %%(r)s request line,"
                    + " %%(s)s status, %%(b)s bytes, %%(D)s microseconds, %%({header}i)s a request header, ... (see"
                    + " docs/configuration.md). Default: %%(h)s %%(l)s %%(u)s %%(t)s \"%%(r)s\" %%(s)s %%(b)s \"%%(f)s\" \"%%(a)s\".")
    String accessLogFormat;

    @Option(names = "--access-log-json",
            description = "Write each access log entry as one JSON object (every atom under a readable key, and the"
                    + " headers the format names) instead of the format's line.")
    boolean accessLogJson;

    @Option(names = "--statsd-host", paramLabel = "HOST:PORT|unix:PATH",
            description = "Send Gunicorn's StatsD metrics (gunicorn.requests, gunicorn.request.status.CODE,"
                    + " gunicorn.request.duration, gunicorn.workers, gunicorn.log.*) to this UDP address or Unix datagram"
                    + " socket. Default: none.")
    String statsdHost;

    @Option(names = "--statsd-prefix", paramLabel = "STRING",
            description = "Put before every metric name, with a dot: myapp makes myapp.gunicorn.requests. Default: none.")
    String statsdPrefix;

    @Option(names = "--dogstatsd-tags", paramLabel = "TAGS",
            description = "DogStatsD tags added to every metric, comma separated, e.g. env:prod,team:web. Default: none.")
    String dogstatsdTags;

    /** @throws IllegalArgumentException with a one-line reason when an option does not validate */
    RequestLogSettings settings() {
        String format = accessLogFormat == null ? AccessLogFormat.DEFAULT : accessLogFormat;
        try {
            AccessLogFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--access-logformat: " + e.getMessage());
        }
        if (statsdHost == null || statsdHost.isBlank()) {
            if (statsdPrefix != null || dogstatsdTags != null) {
                throw new IllegalArgumentException("--statsd-prefix and --dogstatsd-tags need --statsd-host");
            }
            return new RequestLogSettings(format, accessLogJson, null);
        }
        return new RequestLogSettings(format, accessLogJson, StatsdTarget.parse(statsdHost, statsdPrefix, dogstatsdTags));
    }
}
