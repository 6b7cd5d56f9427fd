package dev.gunicornjvm.ctl.signals;

import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.support.GunictlException;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The signals of the spec (shared/spec/signals.rst) and who acts on which. gunictl sends nothing else:
 * CHLD or KILL are no way to operate a server, and kill(1) is there for emergencies.
 */
public final class SpecSignals {
    /** What a master acts on. */
    public static final Set<Signal> MASTER = EnumSet.of(Signal.HUP, Signal.INT, Signal.QUIT, Signal.TERM,
            Signal.USR1, Signal.USR2, Signal.TTIN, Signal.TTOU, Signal.WINCH);
    /** What a worker acts on; it ignores the others. */
    public static final Set<Signal> WORKER = EnumSet.of(Signal.TERM, Signal.INT, Signal.QUIT, Signal.USR1);

    private SpecSignals() {
    }

    /** Accepts "QUIT", "quit", "SIGQUIT" or "3", for the spec's signals only. */
    public static Signal parse(String text) throws GunictlException {
        Signal signal = Signal.parse(text).filter(MASTER::contains).orElse(null);
        if (signal == null) {
            throw GunictlException.usage("'" + text + "' is not a signal of the spec: use one of " + names(MASTER)
                    + " (by name, with or without SIG, or by number)");
        }
        return signal;
    }

    public static String names(Set<Signal> signals) {
        return signals.stream().map(Signal::name).collect(Collectors.joining(" "));
    }
}
