package dev.gunicornjvm.ctl.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.support.ExitCode;
import dev.gunicornjvm.ctl.support.GunictlException;
import org.junit.jupiter.api.Test;

class SpecSignalsTest {
    @Test
    void theSpecsSignalsByNameWithOrWithoutSigOrByNumber() throws GunictlException {
        assertEquals(Signal.QUIT, SpecSignals.parse("QUIT"));
        assertEquals(Signal.QUIT, SpecSignals.parse("sigquit"));
        assertEquals(Signal.QUIT, SpecSignals.parse("3"));
        assertEquals(Signal.WINCH, SpecSignals.parse("28"));
        assertEquals(Signal.TTIN, SpecSignals.parse("SIGTTIN"));
    }

    @Test
    void nothingElse() {
        for (String s : new String[] {"KILL", "9", "CHLD", "17", "STOP", "", "SIG", "99", "-1"}) {
            assertEquals(ExitCode.USAGE, assertThrows(GunictlException.class, () -> SpecSignals.parse(s)).exitCode(), s);
        }
    }
}
