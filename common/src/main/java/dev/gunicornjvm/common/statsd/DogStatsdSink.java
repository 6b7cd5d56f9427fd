package dev.gunicornjvm.common.statsd;

import com.timgroup.statsd.NonBlockingStatsDClient;
import com.timgroup.statsd.NonBlockingStatsDClientBuilder;
import com.timgroup.statsd.StatsDClientException;
import com.timgroup.statsd.UnixSocketAddressWithTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicBoolean;
import jnr.unixsocket.UnixSocketAddress;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The StatsD sink of a process with --statsd-host: Datadog's java-dogstatsd-client, which queues each
 * metric and sends it from a thread of its own, so a request never waits on the network. Plain StatsD
 * lines without tags, dogstatsd lines ({@code |#a:b}) with them. The only class that names the client,
 * so that its classes are loaded only when StatsD is on.
 *
 * <p>Set as Gunicorn sends: one line per event (no client-side aggregation), no telemetry of the client
 * itself, no container tag. A server that is down or unreachable costs nothing but one warning.
 */
final class DogStatsdSink implements StatsdSink {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");

    private final NonBlockingStatsDClient client;

    private DogStatsdSink(NonBlockingStatsDClient client) {
        this.client = client;
    }

    /** A sink for the target, or {@link StatsdSink#NONE} (after one warning) when it cannot be made. */
    static StatsdSink open(StatsdTarget target) {
        AtomicBoolean warned = new AtomicBoolean();
        SocketAddress address;
        try {
            address = target.unixPath() != null
                    ? new UnixSocketAddressWithTransport(new UnixSocketAddress(target.unixPath()),
                            UnixSocketAddressWithTransport.TransportType.UDS)
                    : new InetSocketAddress(InetAddress.getByName(target.host()), target.port());
        } catch (UnknownHostException e) {
            LOG.warn("StatsD host {} cannot be resolved; no metrics are sent", target.address());
            return NONE;
        }
        // The client writes its tags in reverse order; given reversed, they come out as the user wrote them.
        String[] tags = new String[target.tags().size()];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = target.tags().get(tags.length - 1 - i);
        }
        try {
            return new DogStatsdSink(new NonBlockingStatsDClientBuilder()
                    .addressLookup(() -> address)
                    .prefix(target.prefix().isEmpty() ? null : target.prefix())
                    .constantTags(tags)
                    .enableAggregation(false)
                    .enableTelemetry(false)
                    .originDetectionEnabled(false)
                    .threadFactory(r -> {
                        Thread t = new Thread(r, "statsd");
                        t.setDaemon(true);
                        return t;
                    })
                    .errorHandler(e -> {
                        if (warned.compareAndSet(false, true)) {
                            LOG.warn("Cannot send metrics to StatsD at {}: {} (said once; the server serves on)",
                                    target.address(), e.toString());
                        }
                    })
                    .build());
        } catch (StatsDClientException e) {
            LOG.warn("No StatsD client for {}: {}; no metrics are sent", target.address(),
                    e.getCause() != null ? e.getCause().toString() : e.toString());
            return NONE;
        }
    }

    @Override
    public void increment(String name) {
        client.increment(name, 1);
    }

    @Override
    public void gauge(String name, long value) {
        client.gauge(name, value);
    }

    @Override
    public void timer(String name, long millis) {
        client.recordExecutionTime(name, millis);
    }

    @Override
    public void close() {
        client.close();
    }
}
