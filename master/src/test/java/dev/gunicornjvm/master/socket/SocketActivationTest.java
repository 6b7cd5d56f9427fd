package dev.gunicornjvm.master.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the master takes systemd's sockets, and what it tells the master that follows it. */
class SocketActivationTest {
    private static final int PID = 4242;

    @Test
    void systemdsSocketsForThisProcessReplaceTheBinds() {
        SocketActivation a = SocketActivation.fromEnvironment(
                Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "web:api"), PID, false);
        assertEquals(List.of(new BindAddress.Fd(3, "web"), new BindAddress.Fd(4, "api")), a.binds());
        assertEquals("fd://3 (web), fd://4 (api)", a.describe());
        assertEquals(Map.of(SocketActivation.HANDOVER, "web:api"), a.handoverEnvironment());
        assertEquals(List.of(new BindAddress.Fd(3, "unknown")), SocketActivation.fromEnvironment(
                Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "1"), PID, false).binds(), "systemd's name for no name");
    }

    @Test
    void variablesOfAnotherProcessOrOfAnUpgradeAreNotActivation() {
        assertNull(SocketActivation.fromEnvironment(Map.of("LISTEN_PID", "1", "LISTEN_FDS", "1"), PID, false),
                "leaked from an activated parent");
        assertNull(SocketActivation.fromEnvironment(Map.of("LISTEN_FDS", "1"), PID, false));
        assertNull(SocketActivation.fromEnvironment(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "1"), PID, true),
                "an old master's handover uses LISTEN_FDS too");
        assertNull(SocketActivation.fromEnvironment(Map.of(), PID, false));
    }

    @Test
    void aChildMasterOfAnActivatedOneServesTheSameSockets() {
        SocketActivation a = SocketActivation.fromEnvironment(
                Map.of(SocketActivation.HANDOVER, "web:api", "LISTEN_FDS", "2"), PID, true);
        assertEquals(List.of(new BindAddress.Fd(3, "web"), new BindAddress.Fd(4, "api")), a.binds());
    }

    @Test
    void aBadCountIsOneLine() {
        assertEquals("LISTEN_FDS='x' is not a number of sockets (start the master from a systemd .socket unit or"
                + " systemd-socket-activate, or unset LISTEN_FDS)", assertThrows(IllegalArgumentException.class,
                () -> SocketActivation.fromEnvironment(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "x"), PID, false))
                .getMessage());
    }
}
