package dev.gunicornjvm.ctl.upgrade;

/** The steps of the spec's binary upgrade, in order; a failure names the step it happened in. */
public enum UpgradeStep {
    USR2("usr2", "send USR2 to the master"),
    NEW_MASTER("new-master", "the new master starts and PIDFILE names it"),
    NEW_WORKERS("new-workers", "the new master's workers are all ready"),
    WINCH("winch", "WINCH: the old master's workers stop"),
    QUIT("quit", "QUIT: the old master exits"),
    VERIFY("verify", "PIDFILE names the new master and PIDFILE.oldbin is gone");

    private final String id;
    private final String description;

    UpgradeStep(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** Stable, for scripts (JSON "failedStep"). */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }
}
