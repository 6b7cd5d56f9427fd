package dev.gunicornjvm.common.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The requests a worker answered with one status, since it started: how many, their total duration,
 * and how many fell in each of the fixed duration buckets. Workers send these (in
 * {@link WorkerMessage.Metrics}); the master adds them up into its Prometheus histogram. Durations are
 * whole microseconds, so that the text on the pipe is exact and short.
 *
 * @param status  a three-digit status code, or {@link #OTHER} for the codes past the first
 *                {@link #MAX_STATUSES} a worker saw (and for codes outside 100-599)
 * @param buckets requests per bucket, not cumulative: the n-th counts durations above the (n-1)-th bound
 *                and up to the n-th of {@link #BOUNDS_MICROS}; the ones above the last bound are
 *                {@code count} minus their sum
 */
public record RequestCounts(String status, long count, long sumMicros, List<Long> buckets) {
    /** The bucket bounds in microseconds: Prometheus' default ones, 5 ms to 10 s. */
    public static final long[] BOUNDS_MICROS = {5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000};
    /** Distinct status codes a worker keeps apart; the rest fold into {@link #OTHER}, so a message stays short. */
    public static final int MAX_STATUSES = 10;
    public static final String OTHER = "other";
    private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]|" + OTHER);

    public RequestCounts {
        buckets = List.copyOf(buckets);
        if (!STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("bad status " + status);
        }
        if (buckets.size() != BOUNDS_MICROS.length) {
            throw new IllegalArgumentException("want " + BOUNDS_MICROS.length + " buckets, not " + buckets.size());
        }
        long inBuckets = 0;
        for (long b : buckets) {
            if (b < 0) {
                throw new IllegalArgumentException("negative bucket");
            }
            inBuckets += b;
        }
        if (count < 0 || sumMicros < 0 || inBuckets > count) {
            throw new IllegalArgumentException("counts that do not add up");
        }
    }

    /** Nothing yet, for {@code status}. */
    public static RequestCounts none(String status) {
        List<Long> zeros = new ArrayList<>();
        for (int i = 0; i < BOUNDS_MICROS.length; i++) {
            zeros.add(0L);
        }
        return new RequestCounts(status, 0, 0, zeros);
    }

    /** These counts and {@code other}'s (of the same status) together. */
    public RequestCounts plus(RequestCounts other) {
        List<Long> sum = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            sum.add(buckets.get(i) + other.buckets.get(i));
        }
        return new RequestCounts(status, count + other.count, sumMicros + other.sumMicros, sum);
    }

    /** {@code STATUS:COUNT,SUM,B0,...,B10} */
    String encode() {
        StringBuilder b = new StringBuilder(status).append(':').append(count).append(',').append(sumMicros);
        for (long n : buckets) {
            b.append(',').append(n);
        }
        return b.toString();
    }

    static RequestCounts parse(String text) {
        int colon = text.indexOf(':');
        String[] numbers = text.substring(colon + 1).split(",", -1);
        if (colon < 0 || numbers.length != 2 + BOUNDS_MICROS.length) {
            throw new IllegalArgumentException("bad request counts");
        }
        List<Long> buckets = new ArrayList<>();
        for (int i = 2; i < numbers.length; i++) {
            buckets.add(Long.parseLong(numbers[i]));
        }
        return new RequestCounts(text.substring(0, colon), Long.parseLong(numbers[0]), Long.parseLong(numbers[1]),
                buckets);
    }
}
