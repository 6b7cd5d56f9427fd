package dev.gunicornjvm.common.pipe;

import java.util.Optional;

/**
 * What a worker tells its master over the status pipe, one line per message. The pipe carries only
 * these few facts, so a line of text is enough; EOF on the pipe means the worker is gone.
 */
public sealed interface WorkerMessage {
    /** The worker's listeners are open and it is accepting connections. */
    record Ready() implements WorkerMessage {
        @Override
        public String encode() {
            return "ready";
        }
    }

    /**
     * A standby is booted and warmed up, and waits for the master's {@link WorkerFds#PROMOTE} on its
     * lifeline before it accepts; it then says {@link Ready}.
     */
    record Standby() implements WorkerMessage {
        @Override
        public String encode() {
            return "standby";
        }
    }

    /** The worker is alive and making progress; {@code requests} served so far. */
    record Heartbeat(long requests) implements WorkerMessage {
        @Override
        public String encode() {
            return "heartbeat " + requests;
        }
    }

    /** The worker served its share of requests (--max-requests) and asks to be replaced; it serves on until QUIT. */
    record Recycle(long requests) implements WorkerMessage {
        @Override
        public String encode() {
            return "recycle " + requests;
        }
    }

    /** The worker cannot serve the app and is about to exit with {@code exitCode}. */
    record BootFailed(int exitCode, String reason) implements WorkerMessage {
        static final int MAX_REASON = 900;

        @Override
        public String encode() {
            // Cut so that the line fits the master's bounded read (StatusPipeReader) even in 4-byte UTF-8.
            String line = reason.replace('\n', ' ');
            return "boot-failed " + exitCode + " " + (line.length() > MAX_REASON ? line.substring(0, MAX_REASON) + "..." : line);
        }
    }

    /**
     * What a worker measured, sent with each heartbeat when the master serves metrics (--metrics-bind):
     * its request thread pool now, its heap now, its GC and its requests so far. Whatever statuses the app
     * answers, the line stays far below the master's bound: at most {@link RequestCounts#MAX_STATUSES}
     * codes and {@link RequestCounts#OTHER}, of 13 numbers each.
     *
     * @param busyThreads  request threads running a request
     * @param queued       requests waiting for a thread
     * @param gcMillis     time spent in garbage collection, all collectors together
     */
    record Metrics(int busyThreads, int queued, long heapUsed, long heapCommitted, long gcCount, long gcMillis,
                   java.util.List<RequestCounts> requests) implements WorkerMessage {
        public Metrics {
            requests = java.util.List.copyOf(requests);
            if (requests.size() > RequestCounts.MAX_STATUSES + 1) {
                throw new IllegalArgumentException("too many statuses");
            }
            if (busyThreads < 0 || queued < 0 || heapUsed < 0 || heapCommitted < 0 || gcCount < 0 || gcMillis < 0) {
                throw new IllegalArgumentException("negative metrics");
            }
        }

        @Override
        public String encode() {
            StringBuilder b = new StringBuilder("metrics ").append(busyThreads).append(' ').append(queued).append(' ')
                    .append(heapUsed).append(' ').append(heapCommitted).append(' ').append(gcCount).append(' ')
                    .append(gcMillis);
            for (RequestCounts r : requests) {
                b.append(' ').append(r.encode());
            }
            return b.toString();
        }

        static Metrics parse(String line) {
            String[] parts = line.split(" ");
            if (parts.length < 7) {
                throw new IllegalArgumentException("short metrics");
            }
            java.util.List<RequestCounts> requests = new java.util.ArrayList<>();
            for (int i = 7; i < parts.length; i++) {
                requests.add(RequestCounts.parse(parts[i]));
            }
            return new Metrics(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Long.parseLong(parts[3]),
                    Long.parseLong(parts[4]), Long.parseLong(parts[5]), Long.parseLong(parts[6]), requests);
        }
    }

    String encode();

    static Optional<WorkerMessage> parse(String line) {
        String[] parts = line.split(" ", 3);
        try {
            switch (parts[0]) {
                case "ready":
                    return Optional.of(new Ready());
                case "standby":
                    return Optional.of(new Standby());
                case "heartbeat":
                    return Optional.of(new Heartbeat(Long.parseLong(parts[1])));
                case "recycle":
                    return Optional.of(new Recycle(Long.parseLong(parts[1])));
                case "metrics":
                    return Optional.of(Metrics.parse(line));
                case "boot-failed":
                    return Optional.of(new BootFailed(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : ""));
                default:
                    return Optional.empty();
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
