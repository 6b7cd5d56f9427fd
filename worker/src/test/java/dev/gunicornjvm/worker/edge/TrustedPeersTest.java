package dev.gunicornjvm.worker.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedPeersTest {
    private static InetSocketAddress peer(String address) {
        return new InetSocketAddress(address, 40000);
    }

    @Test
    void gunicornsDefaultTrustsLoopbackOnly() {
        TrustedPeers peers = new TrustedPeers(List.of("127.0.0.1", "::1"));
        assertTrue(peers.trusts(peer("127.0.0.1")));
        assertTrue(peers.trusts(peer("::1")));
        assertFalse(peers.trusts(peer("127.0.0.2")));
        assertFalse(peers.trusts(peer("10.0.0.1")));
    }

    @Test
    void cidrRangesOfBothFamilies() {
        TrustedPeers peers = new TrustedPeers(List.of("10.0.0.0/8", "fd00::/8"));
        assertTrue(peers.trusts(peer("10.200.3.4")));
        assertTrue(peers.trusts(peer("fd12:3456::1")));
        assertFalse(peers.trusts(peer("11.0.0.1")));
        assertFalse(peers.trusts(peer("fe80::1")));
    }

    @Test
    void aStarTrustsEveryoneAndAUnixSocketPeerIsAlwaysTrusted() {
        assertTrue(new TrustedPeers(List.of("*")).trusts(peer("203.0.113.9")));
        TrustedPeers none = new TrustedPeers(List.of("192.0.2.1"));
        assertTrue(none.trusts(UnixDomainSocketAddress.of("/run/app.sock")));
        assertTrue(none.trusts(null));
        assertFalse(none.trusts(InetSocketAddress.createUnresolved("192.0.2.1", 1)), "a name is not an address");
    }

    @Test
    void entriesOfAForwardedForChainAreMatchedAsLiteralsOnly() {
        TrustedPeers peers = new TrustedPeers(List.of("10.0.0.0/8", "::1"));
        assertTrue(peers.trustsAddress("10.1.2.3"));
        assertTrue(peers.trustsAddress("[::1]"));
        assertFalse(peers.trustsAddress("11.1.2.3"));
        assertFalse(peers.trustsAddress("localhost"), "never looked up");
        assertFalse(peers.trustsAddress("unknown"));
        assertFalse(peers.trustsAddress(""));
        assertTrue(new TrustedPeers(List.of("*")).trustsAddress("anything"));
    }

    @Test
    void peersAreLoggedAsAddresses() {
        assertEquals("10.0.0.7", TrustedPeers.describe(peer("10.0.0.7")));
        assertEquals("unix", TrustedPeers.describe(UnixDomainSocketAddress.of("/run/app.sock")));
    }
}
