package dev.gunicornjvm.worker.http;

import dev.gunicornjvm.common.logging.AccessLogFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

/**
 * Renders a request in the parts of a parsed {@link AccessLogFormat}, with Gunicorn's values for each atom
 * (gunicorn/glogging.py {@code atoms()}): a missing value is {@code -}, and a {@code "} inside a text
 * value is written {@code \"}, as Gunicorn's SafeAtoms does, so that quoted fields stay parsable.
 */
final class AccessLogLine {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ENGLISH);

    /** The {@code t} of the last second formatted: requests of the same second share it. */
    private record Second(long epochSecond, String text) {
    }

    private final AccessLogFormat.Part[] parts;
    private final ZoneId zone;
    private final String pid;
    private volatile Second second = new Second(Long.MIN_VALUE, "");

    AccessLogLine(AccessLogFormat format, ZoneId zone, long pid) {
        this.parts = format.parts().toArray(new AccessLogFormat.Part[0]);
        this.zone = zone;
        this.pid = "<" + pid + ">";
    }

    String render(LoggedExchange e) {
        StringBuilder line = new StringBuilder(160);
        for (AccessLogFormat.Part part : parts) {
            if (part instanceof AccessLogFormat.Text text) {
                line.append(text.text());
            } else if (part instanceof AccessLogFormat.Atom atom) {
                atom(line, atom.code(), e);
            } else if (part instanceof AccessLogFormat.Lookup lookup) {
                Object value = switch (lookup.kind()) {
                    case 'i' -> e.requestHeader(lookup.name());
                    case 'o' -> e.responseHeader(lookup.name());
                    default -> e.attribute(lookup.name());
                };
                text(line, value == null ? null : value.toString());
            } else {
                line.append('-');
            }
        }
        return line.toString();
    }

    private void atom(StringBuilder line, char code, LoggedExchange e) {
        switch (code) {
            case 'h' -> text(line, e.remoteAddr());
            case 'l' -> line.append('-');
            case 'u' -> text(line, basicUser(e.requestHeader("Authorization")));
            case 't' -> line.append(time(e.startMillis()));
            case 'r' -> {
                text(line, e.method());
                line.append(' ');
                text(line, e.target());
                line.append(' ');
                text(line, e.protocol());
            }
            case 's' -> line.append(e.status());
            case 'm' -> text(line, e.method());
            case 'U' -> text(line, e.path());
            case 'q' -> escaped(line, e.query() == null ? "" : e.query()); // Gunicorn's QUERY_STRING: empty, not -
            case 'H' -> text(line, e.protocol());
            case 'b' -> {
                long bytes = e.bytes();
                if (bytes > 0) {
                    line.append(bytes);
                } else {
                    line.append('-');
                }
            }
            case 'B' -> line.append(e.bytes());
            case 'f' -> text(line, e.requestHeader("Referer"));
            case 'a' -> text(line, e.requestHeader("User-Agent"));
            case 'T' -> line.append(e.durationNanos() / 1_000_000_000L);
            case 'D' -> line.append(e.durationNanos() / 1_000L);
            case 'M' -> line.append(e.durationNanos() / 1_000_000L);
            case 'L' -> line.append(decimalSeconds(e.durationNanos()));
            case 'p' -> line.append(pid);
            default -> line.append('-');
        }
    }

    /** Gunicorn's {@code L}: seconds with six decimals, {@code 0.001234}. */
    static String decimalSeconds(long nanos) {
        long micros = nanos / 1_000L;
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000L, micros % 1_000_000L);
    }

    /** {@code [07/Dec/2026:11:32:28 +0000]}, in the worker's time zone. */
    String time(long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000L);
        Second s = second;
        if (s.epochSecond() != epochSecond) {
            s = new Second(epochSecond, ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone).format(TIME));
            second = s;
        }
        return s.text();
    }

    /** The user name of HTTP Basic authentication, or null (Gunicorn's {@code _get_user}). */
    static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "basic", 0, 5)) {
            return null;
        }
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(space + 1).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null; // not base64: no user, as in Gunicorn
        }
    }

    private static void text(StringBuilder line, String value) {
        if (value == null || value.isEmpty()) {
            line.append('-');
        } else {
            escaped(line, value);
        }
    }

    private static void escaped(StringBuilder line, String value) {
        if (value.indexOf('"') < 0) {
            line.append(value);
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                line.append('\\');
            }
            line.append(c);
        }
    }
}
