package dev.gunicornjvm.ctl.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.control.UpgradeRole;
import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.ctl.wait.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The hand-made text must be String.format's, byte for byte: the old code is kept here to compare. */
class PadTest {
    @Test
    void paddingAndDecimalsAreFormattersOwn() {
        Random random = new Random(7);
        List<Long> values = new ArrayList<>();
        for (long m = 0; m < 200_000; m++) {
            values.add(m);
        }
        for (int i = 0; i < 100_000; i++) {
            values.add(random.nextLong() >>> random.nextInt(64));
        }
        values.addAll(List.of(-1L, -49L, -50L, -51L, -420L, -9999L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE / 2));
        for (long m : values) {
            assertEquals(String.format(Locale.ROOT, "%.1f", m / 1000.0), Pad.seconds1(m), Long.toString(m));
            assertEquals(String.format(Locale.ROOT, "%5.1f", m / 1000.0), Pad.left(Pad.seconds1(m), 5), Long.toString(m));
            assertEquals(String.format(Locale.ROOT, "%8d", m), Pad.left(Long.toString(m), 8));
            assertEquals(String.format(Locale.ROOT, "%-9s", m), Pad.right(Long.toString(m), 9));
        }
        for (long n = 0; n < 100; n++) {
            assertEquals(String.format(Locale.ROOT, "%02d", n), Pad.twoDigits(n));
        }
    }

    @Test
    void durationsAreAsTheyWere() {
        Random random = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            long s = i < 100_000 ? i * 7L : random.nextLong() >>> random.nextInt(64);
            assertEquals(oldSeconds(s), Durations.seconds(s));
            assertEquals(oldAgo(s), Durations.ago(s));
        }
    }

    @Test
    void statusTextIsAsItWas() {
        for (MasterStatus s : statuses()) {
            assertEquals(oldFormat("master", "gunicorn.pid", s), StatusText.format("master", "gunicorn.pid", s));
            assertEquals(oldSummary(s), Workers.summary(s));
        }
    }

    @Test
    void aStepLineIsAsItWas() {
        for (long m : new long[] {0, 49, 50, 951, 9_999, 99_949, 99_950, 1_234_567}) {
            assertEquals(String.format(Locale.ROOT, "[%5.1fs] %s", m / 1000.0, "x"),
                    "[" + Pad.left(Pad.seconds1(m), 5) + "s] x");
        }
    }

    private static List<MasterStatus> statuses() {
        List<MasterStatus.Worker> many = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            many.add(new MasterStatus.Worker(100_000 + i * 37, i % 3 + 1, i * 4000L, WorkerState.values()[i % 4],
                    i % 4 == 2, i * 123_456_789L, i * 1_234L));
        }
        return List.of(
                new MasterStatus(4242, "0.1.0", 86_400L * 400, "app.Servlet", List.of("http://127.0.0.1:8000", "unix:/s"),
                        "/etc/g.toml", "/run/g.pid", true, true, 7, UpgradeRole.OLD_MASTER_RUNNING, 4100, 3, 1, true, many,
                        new MasterStatus.Reload(3, true, false, "bad config", 6)),
                new MasterStatus(1, "v", 0, "a", List.of(), "command line", "gunicorn.pid", false, false, 1, UpgradeRole.NONE,
                        0, 0, 0, false, List.of(), null),
                new MasterStatus(2, null, 59, null, List.of(), null, null, false, true, 2, UpgradeRole.NEW_MASTER_RUNNING, 3, 2, 0,
                        false, List.of(new MasterStatus.Worker(Integer.MAX_VALUE, 2, 0, WorkerState.READY, false, Long.MAX_VALUE, 9_999),
                        new MasterStatus.Worker(5, 2, 3599, WorkerState.READY, false, 0, 10_000)),
                        new MasterStatus.Reload(1, false, false, "booting", 2)));
    }

    // What StatusText, Durations and Workers were, with String.format and streams.

    private static String oldFormat(String role, String pidFile, MasterStatus s) {
        StringBuilder b = new StringBuilder();
        b.append(role).append(' ').append(s.pid()).append(" (").append(pidFile).append("): gunicorn-jvm ")
                .append(s.version()).append(", up ").append(oldSeconds(s.uptimeSeconds()))
                .append(s.stopping() ? ", SHUTTING DOWN" : "").append('\n');
        oldField(b, "app", s.app());
        oldField(b, "binds", String.join(" ", s.binds()));
        oldField(b, "config", s.configSource());
        oldField(b, "mode", (s.daemon() ? "daemon" : "foreground") + (s.preload() ? ", preload" : ""));
        oldField(b, "generation", Integer.toString(s.generation()));
        oldField(b, "upgrade", StatusText.upgrade(s));
        oldField(b, "last reload", StatusText.reload(s.lastReload()));
        oldField(b, "workers", oldSummary(s));
        if (!s.workers().isEmpty()) {
            b.append(String.format(Locale.ROOT, "  %8s %4s %7s %-7s %-9s %9s  %s%n", "PID", "GEN", "AGE", "ROLE", "STATE",
                    "REQUESTS", "LAST HEARD"));
            for (MasterStatus.Worker w : s.workers()) {
                b.append(String.format(Locale.ROOT, "  %8d %4d %7s %-7s %-9s %9d  %s%n", w.pid(), w.generation(),
                        oldSeconds(w.ageSeconds()), w.standby() ? "standby" : "worker", w.state(), w.requests(),
                        oldAgo(w.lastHeartbeatMillis())));
            }
        }
        return b.toString().stripTrailing();
    }

    private static void oldField(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "  %-12s %s%n", name + ":", value));
    }

    private static String oldSeconds(long s) {
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h" + String.format(Locale.ROOT, "%02d", s % 3600 / 60) + "m";
        }
        return s / 86400 + "d" + String.format(Locale.ROOT, "%02d", s % 86400 / 3600) + "h";
    }

    private static String oldAgo(long millis) {
        return (millis < 10_000 ? String.format(Locale.ROOT, "%.1fs", millis / 1000.0) : oldSeconds(millis / 1000)) + " ago";
    }

    private static String oldSummary(MasterStatus s) {
        String target = "target " + s.targetWorkers() + (s.targetStandby() > 0 ? " + " + s.targetStandby() + " standby" : "");
        if (s.workers().isEmpty()) {
            return "no workers; " + target;
        }
        Map<Integer, Map<WorkerState, Long>> byGeneration = new TreeMap<>(java.util.Comparator.reverseOrder());
        s.workers().forEach(w -> byGeneration.computeIfAbsent(w.generation(), g -> new TreeMap<>())
                .merge(w.state(), 1L, Long::sum));
        String parts = byGeneration.entrySet().stream()
                .map(g -> g.getValue().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")) + " (generation " + g.getKey() + ")")
                .collect(Collectors.joining("; "));
        return parts + "; " + target;
    }
}
