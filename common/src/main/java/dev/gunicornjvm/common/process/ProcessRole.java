package dev.gunicornjvm.common.process;

/**
 * The kinds of gunicorn-jvm process, by the title {@code ps} shows: {@code gunicorn: ROLE [NAME]}. The
 * titles are part of the protocol: the master's stale-pidfile check and gunictl accept a pid as a master
 * only if its command line starts with {@code gunicorn: master}, and operators grep for them. So they
 * are spelled here once, for the master that sets and spawns them, the worker that sets its own, and
 * gunictl that reads them.
 */
public enum ProcessRole {
    MASTER("master"),
    /** A worker that serves: the only role the master counts as a worker. */
    WORKER("worker"),
    /** A booted worker that waits to be promoted (--standby); titled apart, so that nobody counts it as serving. */
    STANDBY("standby"),
    /** The one worker JVM of {@code gunicorn --check-config}: deploys the app, reports, exits. */
    CHECK("check"),
    /** The worker JVM that trains the workers' class-data sharing archive. */
    CDS_TRAINING("cds-training");

    private final String prefix;

    ProcessRole(String word) {
        this.prefix = "gunicorn: " + word;
    }

    /** The title of a process of this role for an app named {@code name} (-n/--name, else APP). */
    public String title(String name) {
        return prefix + " [" + name + "]";
    }

    /** What every title of this role starts with, e.g. {@code gunicorn: master}. */
    public String prefix() {
        return prefix;
    }

    /**
     * True if a command line (as /proc shows it, arguments joined by spaces or NULs) is this role's title.
     * The prefix alone would take {@code gunicorn: workers} for a worker; the title always goes on with
     * " [".
     */
    public boolean titles(String cmdline) {
        return cmdline.startsWith(prefix + " [");
    }
}
