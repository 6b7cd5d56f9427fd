package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.ctl.support.GunictlException;

/**
 * The argument of {@code scale}: "N" is absolute, "+K" and "-K" are relative to the master's current
 * target. The master never runs fewer than one worker, so neither does gunictl ask for that.
 */
record ScaleCount(boolean relative, int value) {
    static ScaleCount parse(String text) throws GunictlException {
        String t = text.trim();
        boolean relative = t.startsWith("+") || t.startsWith("-");
        try {
            int value = Integer.parseInt(t.startsWith("+") ? t.substring(1) : t);
            if (!relative && value < 1) {
                throw GunictlException.usage("cannot scale to " + value + " workers: a master runs at least 1");
            }
            return new ScaleCount(relative, value);
        } catch (NumberFormatException e) {
            throw GunictlException.usage("'" + text + "' is not a number of workers: use N, +K or -K");
        }
    }

    /** The number to ask for, given the master's current target. */
    int from(int currentTarget) throws GunictlException {
        if (!relative) {
            return value;
        }
        long target = (long) currentTarget + value;
        if (target < 1) {
            throw GunictlException.usage("cannot scale " + currentTarget + " workers by " + value
                    + ": a master runs at least 1");
        }
        if (target > Integer.MAX_VALUE) {
            throw GunictlException.usage("cannot scale " + currentTarget + " workers by " + value);
        }
        return (int) target;
    }
}
