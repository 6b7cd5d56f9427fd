package dev.gunicornjvm.ctl.support;

import picocli.CommandLine;

/** What {@code --version} prints, for gunictl and each of its commands: the version in the jar's manifest. */
public final class GunictlVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = GunictlVersion.class.getPackage().getImplementationVersion();
        return new String[] {"gunictl (gunicorn-jvm) " + (v != null ? v : "dev")};
    }
}
