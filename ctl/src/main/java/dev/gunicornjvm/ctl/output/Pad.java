package dev.gunicornjvm.ctl.output;

import java.util.Locale;

/**
 * The few String.format patterns gunictl's text output uses ({@code %8d}, {@code %-12s}, {@code %.1f}),
 * done by hand: java.util.Formatter's first use loads the locale data (DecimalFormatSymbols, resource
 * bundles), a fifth of what {@code gunictl status} costs. The same text, byte for byte (PadTest).
 */
final class Pad {
    private Pad() {
    }

    /** {@code %Ns}: right-aligned in {@code width} columns, never cut. */
    static String left(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** {@code %-Ns}: left-aligned in {@code width} columns, never cut. */
    static String right(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** {@code %02d} of a number from 0 to 99. */
    static String twoDigits(long n) {
        return n >= 0 && n < 10 ? "0" + n : Long.toString(n);
    }

    /**
     * {@code String.format(Locale.ROOT, "%.1f", millis / 1000.0)}: seconds with one decimal, rounded half
     * up as Formatter does. Exact from 0 to 31 years, where millis / 1000.0 prints as exactly millis / 1000;
     * Formatter itself beyond.
     */
    static String seconds1(long millis) {
        if (millis < 0 || millis >= 1_000_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
        }
        long tenths = (millis + 50) / 100;
        return tenths / 10 + "." + tenths % 10;
    }
}
