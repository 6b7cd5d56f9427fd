package dev.gunicornjvm.master;

import dev.gunicornjvm.master.config.ConfigSources;

/** Entry point of the master: {@code gunicorn [OPTIONS] APP}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new Launcher(ConfigSources.fromEnvironment(args), System.out, System.err).run());
    }
}
