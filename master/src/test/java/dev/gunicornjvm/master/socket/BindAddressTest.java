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
        BindAddress fd = BindAddress.parse("fd://3");
        assertEquals(new BindAddress.Fd(3, null), fd);
        assertEquals("fd://3", fd.key(), "how a new master (USR2) finds it again");
        assertEquals("fd://3", fd.toString());
    }

    @Test
    void inheritedIpv6AddressesAreLoggedAsPeopleWriteThem() {
        assertEquals("::1", ListenerFactory.compact("0:0:0:0:0:0:0:1"));
        assertEquals("::", ListenerFactory.compact("0:0:0:0:0:0:0:0"));
        assertEquals("fe80::1:0:0:2", ListenerFactory.compact("fe80:0:0:0:1:0:0:2"), "the first of the longest runs");
        assertEquals("2001:db8:0:1:1:1:1:1", ListenerFactory.compact("2001:db8:0:1:1:1:1:1"), "one zero stays");
        assertEquals("2001:db8::", ListenerFactory.compact("2001:db8:0:0:0:0:0:0"));
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
        assertEquals("bind 'fd://x' has a bad fd 'x' (use fd://N with the number of an inherited listening socket,"
                + " e.g. fd://3)", assertThrows(IllegalArgumentException.class, () -> BindAddress.parse("fd://x"))
                .getMessage());
    }
}
