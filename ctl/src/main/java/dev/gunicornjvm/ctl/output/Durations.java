package dev.gunicornjvm.ctl.output;

/** Ages and intervals the way people read them: 45s, 3m12s, 2h05m, 3d04h. */
public final class Durations {
    private Durations() {
    }

    public static String seconds(long s) {
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + Pad.twoDigits(s % 60) + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h" + Pad.twoDigits(s % 3600 / 60) + "m";
        }
        return s / 86400 + "d" + Pad.twoDigits(s % 86400 / 3600) + "h";
    }

    /** A heartbeat age: "0.4s ago", "12s ago". */
    public static String ago(long millis) {
        return (millis < 10_000 ? Pad.seconds1(millis) + "s" : seconds(millis / 1000)) + " ago";
    }
}
