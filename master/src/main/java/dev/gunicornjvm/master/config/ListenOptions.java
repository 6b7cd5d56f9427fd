package dev.gunicornjvm.master.config;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the master listens: the binds and how their sockets are made. A picocli mixin of {@link GunicornCommand}. */
final class ListenOptions {
    @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS",
            description = "Socket to bind: HOST:PORT, [IPv6]:PORT, unix:PATH or fd://N (a listening socket this"
                    + " process inherited), after https:// for TLS or http:// for none (without either: TLS when"
                    + " --keyfile is given). Repeatable. Default: 0.0.0.0:$PORT when PORT is set, else 127.0.0.1:8000.")
    List<String> binds = new ArrayList<>();

    @Option(names = "--reuse-port",
            description = "Set SO_REUSEPORT on TCP listeners: other servers (e.g. a second master) may bind the same"
                    + " port too, and the kernel spreads connections among them.")
    boolean reusePort;

    @Option(names = "--backlog", paramLabel = "INT", defaultValue = "2048",
            description = "Length of the listen queue. Default: ${DEFAULT-VALUE}.")
    int backlog;
}
