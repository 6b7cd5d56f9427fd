package dev.gunicornjvm.ctl.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void agesReadLikeAPersonWouldSayThem() {
        assertEquals("0s", Durations.seconds(0));
        assertEquals("59s", Durations.seconds(59));
        assertEquals("1m00s", Durations.seconds(60));
        assertEquals("3m12s", Durations.seconds(192));
        assertEquals("2h05m", Durations.seconds(2 * 3600 + 5 * 60 + 7));
        assertEquals("3d04h", Durations.seconds(3 * 86400 + 4 * 3600 + 59));
        assertEquals("0.4s ago", Durations.ago(420));
        assertEquals("12s ago", Durations.ago(12_300));
    }
}
