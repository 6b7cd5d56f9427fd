package dev.gunicornjvm.common.signals;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The signals of the spec, with their Linux x86_64 numbers. These ten are blocked in every gunicorn-jvm
 * JVM from its first instruction and taken by one thread with sigtimedwait (JVM-FACTS 2), so none of
 * them can kill a JVM by surprise and none is handled inside a raw C signal handler.
 */
public enum Signal {
    HUP(1), INT(2), QUIT(3), USR1(10), USR2(12), TERM(15), CHLD(17), TTIN(21), TTOU(22), WINCH(28);

    /** Signals outside the blocked set that gunictl may still send, e.g. to end a stuck process. */
    public static final int KILL_NUMBER = 9;

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The lower-case name Gunicorn logs, as in "Handling signal: hup". */
    public String logName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Signal> ofNumber(int number) {
        return Arrays.stream(values()).filter(s -> s.number == number).findFirst();
    }

    /** Accepts "HUP", "hup", "SIGHUP" or "1". */
    public static Optional<Signal> parse(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        for (Signal s : values()) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        try {
            return ofNumber(Integer.parseInt(name));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
