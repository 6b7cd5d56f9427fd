package dev.gunicornjvm.ctl.output;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.ctl.wait.Workers;

/** A master's status as a person reads it: the master's facts, then one line per worker. */
public final class StatusText {
    /** What Formatter's %n writes. */
    private static final String NL = System.lineSeparator();
    private StatusText() {
    }

    /** @param role "master", or "new master"/"old master" during an upgrade */
    public static String format(String role, String pidFile, MasterStatus s) {
        StringBuilder b = new StringBuilder();
        b.append(role).append(' ').append(s.pid()).append(" (").append(pidFile).append("): gunicorn-jvm ")
                .append(s.version()).append(", up ").append(Durations.seconds(s.uptimeSeconds()))
                .append(s.stopping() ? ", SHUTTING DOWN" : "").append('\n');
        field(b, "app", s.app());
        field(b, "binds", String.join(" ", s.binds()));
        field(b, "config", s.configSource());
        field(b, "mode", (s.daemon() ? "daemon" : "foreground") + (s.preload() ? ", preload" : ""));
        field(b, "generation", Integer.toString(s.generation()));
        field(b, "upgrade", upgrade(s));
        field(b, "last reload", reload(s.lastReload()));
        field(b, "workers", Workers.summary(s));
        if (!s.workers().isEmpty()) {
            // "  %8s %4s %7s %-7s %-9s %9s  %s%n", without Formatter (Pad).
            b.append("       PID  GEN     AGE ROLE    STATE      REQUESTS  LAST HEARD").append(NL);
            for (MasterStatus.Worker w : s.workers()) {
                b.append("  ").append(Pad.left(Integer.toString(w.pid()), 8))
                        .append(' ').append(Pad.left(Integer.toString(w.generation()), 4))
                        .append(' ').append(Pad.left(Durations.seconds(w.ageSeconds()), 7))
                        .append(' ').append(Pad.right(w.standby() ? "standby" : "worker", 7))
                        .append(' ').append(Pad.right(String.valueOf(w.state()), 9))
                        .append(' ').append(Pad.left(Long.toString(w.requests()), 9))
                        .append("  ").append(Durations.ago(w.lastHeartbeatMillis())).append(NL);
            }
        }
        return b.toString().stripTrailing();
    }

    /** One line: "master 1234: 2 workers: 2 ready (generation 1); target 2". */
    public static String summary(String role, MasterStatus s) {
        return role + " " + s.pid() + (s.stopping() ? " (shutting down)" : "") + ": " + Workers.summary(s);
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append("  ").append(Pad.right(name + ":", 12)).append(' ').append(value).append(NL);
    }

    static String upgrade(MasterStatus s) {
        return switch (s.upgrade()) {
            case NEW_MASTER_RUNNING -> "in progress: this is the old master; new master " + s.otherMaster();
            case OLD_MASTER_RUNNING -> "in progress: this is the new master; old master " + s.otherMaster();
            case NONE -> "none";
        };
    }

    static String reload(MasterStatus.Reload r) {
        if (r == null) {
            return "none";
        }
        String outcome = !r.done() ? "in progress" : r.ok() ? "ok" : "FAILED";
        return "#" + r.sequence() + " " + outcome + ": " + r.message();
    }
}
