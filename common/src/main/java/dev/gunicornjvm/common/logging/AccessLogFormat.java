package dev.gunicornjvm.common.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Gunicorn's {@code access_log_format}, parsed once: text and {@code %(NAME)s} atoms, in order. The
 * master parses it to refuse a malformed one at start; each worker parses it again at boot and renders
 * its parts for every request, without a pattern match per request.
 *
 * <p>Gunicorn formats the line with Python's {@code %} operator over a dictionary of atoms that answers
 * {@code -} for a name it does not know. So here: {@code %(NAME)s} (or {@code d}, {@code i}: numbers are
 * written the same way) is an atom, {@code %%} is a {@code %}, an unknown name renders {@code -}; any
 * other {@code %} is refused (Python would fail on every request). Names of the {@code {header}i},
 * {@code {header}o} and {@code {name}e} kinds are matched without regard to case, as in Gunicorn.
 */
public record AccessLogFormat(String text, List<Part> parts) {
    /** Gunicorn's default, the NCSA combined log format. */
    public static final String DEFAULT = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"";
    /** The one-letter atoms Gunicorn knows. */
    public static final String ATOMS = "hlutrsmUqHbBfaTDMLp";

    /** One piece of the line. */
    public sealed interface Part permits Text, Atom, Lookup, Unknown {
    }

    /** Written as is. */
    public record Text(String text) implements Part {
    }

    /** One of {@link #ATOMS}. */
    public record Atom(char code) implements Part {
    }

    /**
     * {@code %({name}i)s}, {@code %({name}o)s} or {@code %({name}e)s}: a request header, a response header
     * or a request attribute. The name is kept as written (attributes are looked up by it) and in lower
     * case (headers are matched without regard to case).
     */
    public record Lookup(char kind, String name) implements Part {
        public String lowerName() {
            return name.toLowerCase(Locale.ROOT);
        }
    }

    /** A name Gunicorn would not know either: rendered {@code -}. */
    public record Unknown(String name) implements Part {
    }

    public AccessLogFormat {
        parts = List.copyOf(parts);
    }

    /**
     * @throws IllegalArgumentException with a one-line reason when the format is malformed
     */
    public static AccessLogFormat parse(String format) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                text.append(c);
                i++;
                continue;
            }
            if (i + 1 < format.length() && format.charAt(i + 1) == '%') {
                text.append('%');
                i += 2;
                continue;
            }
            if (i + 1 >= format.length() || format.charAt(i + 1) != '(') {
                throw new IllegalArgumentException("'%' at position " + (i + 1) + " must start %(NAME)s, or be doubled"
                        + " (%%) for a '%' sign");
            }
            int close = format.indexOf(')', i + 2);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '%(' at position " + (i + 1) + " (want %(NAME)s)");
            }
            int conversion = close + 1;
            if (conversion >= format.length() || "sdi".indexOf(format.charAt(conversion)) < 0) {
                throw new IllegalArgumentException("%(" + format.substring(i + 2, close) + ") at position " + (i + 1)
                        + " must be followed by s (as in %(" + format.substring(i + 2, close) + ")s)");
            }
            if (!text.isEmpty()) {
                parts.add(new Text(text.toString()));
                text.setLength(0);
            }
            parts.add(part(format.substring(i + 2, close)));
            i = conversion + 1;
        }
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
        }
        return new AccessLogFormat(format, parts);
    }

    private static Part part(String name) {
        if (name.length() == 1 && ATOMS.indexOf(name.charAt(0)) >= 0) {
            return new Atom(name.charAt(0));
        }
        int end = name.length() - 1;
        if (name.length() >= 4 && name.charAt(0) == '{' && name.charAt(end - 1) == '}') {
            char kind = Character.toLowerCase(name.charAt(end));
            if (kind == 'i' || kind == 'o' || kind == 'e') {
                return new Lookup(kind, name.substring(1, end - 1));
            }
        }
        return new Unknown(name);
    }

    /** The names that render {@code -} because nobody knows them: worth a warning at start. */
    public List<String> unknownNames() {
        return parts.stream().filter(p -> p instanceof Unknown).map(p -> ((Unknown) p).name()).toList();
    }

    /** The {@code {header}i} names in the format, in lower case, in order. */
    public List<String> requestHeaders() {
        return lookups('i');
    }

    /** The {@code {header}o} names in the format, in lower case, in order. */
    public List<String> responseHeaders() {
        return lookups('o');
    }

    private List<String> lookups(char kind) {
        return parts.stream().filter(p -> p instanceof Lookup l && l.kind() == kind)
                .map(p -> ((Lookup) p).lowerName()).distinct().toList();
    }
}
