package dev.gunicornjvm.master.config;

import dev.gunicornjvm.master.metrics.MetricsSettings;
import picocli.CommandLine.Option;

/** Where the master serves Prometheus metrics and health answers. A picocli mixin of {@link GunicornCommand}. */
final class MetricsOptions {
    @Option(names = "--metrics-bind", paramLabel = "HOST:PORT",
            description = "Serve /metrics (Prometheus), /health/live and /health/ready from the master at this"
                    + " address, apart from the app's binds (e.g. 127.0.0.1:9101; port 0 takes a free port, logged)."
                    + " Workers then send their numbers with each heartbeat. Default: off.")
    String metricsBind;

    /** Null when off. */
    MetricsSettings metrics() {
        return metricsBind == null || metricsBind.isEmpty() ? null : MetricsSettings.parse(metricsBind);
    }
}
