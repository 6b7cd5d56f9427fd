package dev.gunicornjvm.ctl.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gunicornjvm.ctl.support.ExitCode;
import dev.gunicornjvm.ctl.support.GunictlException;
import org.junit.jupiter.api.Test;

class ScaleCountTest {
    @Test
    void absoluteAndRelativeCounts() throws GunictlException {
        assertEquals(3, ScaleCount.parse("3").from(7));
        assertEquals(9, ScaleCount.parse("+2").from(7));
        assertEquals(5, ScaleCount.parse("-2").from(7));
        assertEquals(1, ScaleCount.parse("-6").from(7));
    }

    @Test
    void neverBelowOneAndNothingButNumbers() {
        assertEquals(ExitCode.USAGE, assertThrows(GunictlException.class, () -> ScaleCount.parse("0")).exitCode());
        assertEquals(ExitCode.USAGE, assertThrows(GunictlException.class, () -> ScaleCount.parse("-2").from(2)).exitCode());
        assertEquals(ExitCode.USAGE, assertThrows(GunictlException.class, () -> ScaleCount.parse("two")).exitCode());
        assertEquals(ExitCode.USAGE, assertThrows(GunictlException.class, () -> ScaleCount.parse("+")).exitCode());
        assertEquals(ExitCode.USAGE, assertThrows(GunictlException.class,
                () -> ScaleCount.parse("+2147483647").from(2)).exitCode());
    }
}
