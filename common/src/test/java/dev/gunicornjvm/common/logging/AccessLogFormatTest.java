package dev.gunicornjvm.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {
    @Test
    void gunicornsDefaultIsTextAndAtomsInOrder() {
        AccessLogFormat f = AccessLogFormat.parse(AccessLogFormat.DEFAULT);
        assertEquals(List.of(new AccessLogFormat.Atom('h'), new AccessLogFormat.Text(" "), new AccessLogFormat.Atom('l'),
                new AccessLogFormat.Text(" "), new AccessLogFormat.Atom('u'), new AccessLogFormat.Text(" "),
                new AccessLogFormat.Atom('t'), new AccessLogFormat.Text(" \""), new AccessLogFormat.Atom('r'),
                new AccessLogFormat.Text("\" "), new AccessLogFormat.Atom('s'), new AccessLogFormat.Text(" "),
                new AccessLogFormat.Atom('b'), new AccessLogFormat.Text(" \""), new AccessLogFormat.Atom('f'),
                new AccessLogFormat.Text("\" \""), new AccessLogFormat.Atom('a'), new AccessLogFormat.Text("\"")), f.parts());
        assertEquals(List.of(), f.unknownNames());
    }

    @Test
    void everyAtomLookupsPercentSignsAndUnknownNames() {
        AccessLogFormat f = AccessLogFormat.parse("%(h)s%(l)s%(u)s%(t)s%(r)s%(s)s%(m)s%(U)s%(q)s%(H)s%(b)s%(B)s%(f)s%(a)s"
                + "%(T)s%(D)d%(M)i%(L)s%(p)s 100%% %({X-Test}i)s %({content-type}O)s %({user}e)s %(zz)s %(x)s %({x}q)s");
        assertEquals(AccessLogFormat.ATOMS, f.parts().stream().filter(p -> p instanceof AccessLogFormat.Atom)
                .map(p -> String.valueOf(((AccessLogFormat.Atom) p).code())).reduce("", String::concat));
        assertEquals(new AccessLogFormat.Text(" 100% "), f.parts().get(19));
        assertEquals(new AccessLogFormat.Lookup('i', "X-Test"), f.parts().get(20));
        assertEquals(new AccessLogFormat.Lookup('o', "content-type"), f.parts().get(22));
        assertEquals(new AccessLogFormat.Lookup('e', "user"), f.parts().get(24));
        assertEquals(List.of("x-test"), f.requestHeaders());
        assertEquals(List.of("content-type"), f.responseHeaders());
        assertEquals(List.of("zz", "x", "{x}q"), f.unknownNames(), "rendered '-', as Gunicorn's SafeAtoms does");
    }

    @Test
    void malformedFormatsAreOneLineSayingWhere() {
        assertEquals("unclosed '%(' at position 4 (want %(NAME)s)",
                assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.parse("ab %(h")).getMessage());
        assertEquals("%(h) at position 1 must be followed by s (as in %(h)s)",
                assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.parse("%(h) x")).getMessage());
        assertEquals("%(h) at position 1 must be followed by s (as in %(h)s)",
                assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.parse("%(h)")).getMessage());
        assertEquals("'%' at position 3 must start %(NAME)s, or be doubled (%%) for a '%' sign",
                assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.parse("50% off")).getMessage());
        assertEquals("'%' at position 1 must start %(NAME)s, or be doubled (%%) for a '%' sign",
                assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.parse("%")).getMessage());
    }

    @Test
    void warningsAreCountedByGunicornsNames() {
        assertEquals("critical", WarningCounter.gunicornLevel(Level.FATAL, false));
        assertEquals("exception", WarningCounter.gunicornLevel(Level.ERROR, true));
        assertEquals("error", WarningCounter.gunicornLevel(Level.ERROR, false));
        assertEquals("warning", WarningCounter.gunicornLevel(Level.WARN, true));
        assertEquals(null, WarningCounter.gunicornLevel(Level.INFO, false));
    }
}
