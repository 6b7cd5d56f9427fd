package dev.gunicornjvm.common.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A master's part in a USR2 upgrade, as {@code gunictl status} reports it. */
public enum UpgradeRole {
    /** No upgrade in progress. */
    NONE("none"),
    /** This is the old master: a new master it started by USR2 is running. */
    NEW_MASTER_RUNNING("new-master-running"),
    /** This is the new master: the old master that started it still runs. */
    OLD_MASTER_RUNNING("old-master-running");

    private final String wire;

    UpgradeRole(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static UpgradeRole ofWire(String text) {
        for (UpgradeRole r : values()) { // a loop, not a stream: gunictl reads one per status
            if (r.wire.equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown upgrade role: " + text);
    }

    @Override
    public String toString() {
        return wire;
    }
}
