package dev.gunicornjvm.master;

import dev.gunicornjvm.master.config.GunicornCommand;
import picocli.CommandLine;

/** Entry point of the master: {@code gunicorn [OPTIONS] APP}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(GunicornCommand.execute(args));
    }
}
