package dev.gunicornjvm.master.config;

import picocli.CommandLine;

/** The version printed by --version and logged at start, from the jar manifest. */
public final class Version implements CommandLine.IVersionProvider {
    public static String text() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"gunicorn-jvm " + text() + " (Java " + Runtime.version() + ")"};
    }
}
