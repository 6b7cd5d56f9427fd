package dev.gunicornjvm.common.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignalTest {
    @Test
    void namesAndNumbersAsKillAcceptsThem() {
        assertEquals(Optional.of(Signal.QUIT), Signal.parse("QUIT"));
        assertEquals(Optional.of(Signal.QUIT), Signal.parse("sigquit"));
        assertEquals(Optional.of(Signal.QUIT), Signal.parse("3"));
        assertEquals(Optional.of(Signal.TTIN), Signal.parse("21"));
        assertEquals(Optional.empty(), Signal.parse("KILLALL"));
    }

    @Test
    void theBlockedSetIsTheMaskJvmFactsGives() {
        long mask = Arrays.stream(SignalReceiver.blockedSet()).mapToLong(n -> 1L << (n - 1)).reduce(0, (a, b) -> a | b);
        assertEquals(0x8314a07L, mask);
    }
}
