package dev.gunicornjvm.master.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.posix.Posix;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real sockets: which binds share a listener across reloads. */
class ListenerSetTest {
    private final ListenerSet set = new ListenerSet(Posix.get());

    @AfterEach
    void close() {
        set.closeAll();
    }

    @Test
    void eachBindToPortZeroIsASocketOfItsOwnAcrossReloads() throws IOException {
        List<BindAddress> binds = List.of(BindAddress.parse("https://127.0.0.1:0"), BindAddress.parse("http://127.0.0.1:0"));
        List<Listener> first = set.openFor(binds, 16, false);
        assertNotEquals(first.get(0).fd(), first.get(1).fd());
        assertNotEquals(first.get(0).address().key(), first.get(1).address().key(), "two ports");
        assertTrue(first.get(0).url().startsWith("https://"), first.get(0).url());
        assertTrue(first.get(1).url().startsWith("http://"), first.get(1).url());
        assertEquals(first, set.openFor(binds, 16, false), "a reload keeps both, as they were");
    }

    @Test
    void turningTlsOnKeepsTheSocket() throws IOException {
        Listener plain = set.openFor(List.of(BindAddress.parse("127.0.0.1:0")), 16, false).get(0);
        Listener tls = set.openFor(List.of(BindAddress.parse("https://127.0.0.1:0")), 16, false).get(0);
        assertEquals(plain.fd(), tls.fd(), "queued connections are not lost");
        assertEquals(plain.url().replace("http://", "https://"), tls.url());
        assertEquals(List.of(), set.retainOnly(List.of(tls)), "nothing to close: it is the same socket");
    }
}
