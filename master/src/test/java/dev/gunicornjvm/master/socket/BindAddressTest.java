package dev.gunicornjvm.master.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BindAddressTest {
    @Test
    void readsTheFormsGunicornAccepts() {
        assertEquals("127.0.0.1:8000", BindAddress.parse("127.0.0.1:8000").toString());
        assertEquals("127.0.0.1:8000", BindAddress.parse("127.0.0.1").toString(), "port 8000 by default");
        assertEquals("0.0.0.0:9000", BindAddress.parse(":9000").toString(), "empty host is every address");
        BindAddress v6 = BindAddress.parse("[::1]:8001");
        assertTrue(((BindAddress.Tcp) v6).ipv6());
        assertEquals("[::1]:8001", v6.toString());
        BindAddress unix = BindAddress.parse("unix:/run/app.sock");
        assertInstanceOf(BindAddress.Unix.class, unix);
        assertEquals(Path.of("/run/app.sock"), ((BindAddress.Unix) unix).path());
    }

    @Test
    void badAddressesSayHowToFixThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BindAddress.parse("::1:8000"))
                .getMessage().contains("brackets"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BindAddress.parse("127.0.0.1:99999"))
                .getMessage().contains("bad port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BindAddress.parse("unix:"))
                .getMessage().contains("no path"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BindAddress.parse("[::1:80"))
                .getMessage().contains("closing ]"));
    }
}
