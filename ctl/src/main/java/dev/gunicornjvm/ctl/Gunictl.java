package dev.gunicornjvm.ctl;

import dev.gunicornjvm.common.posix.Errno;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.process.PidFile;
import dev.gunicornjvm.common.signals.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * gunictl: operate a running gunicorn-jvm master found through its pidfile.
 * This first version reads the pidfile and the process table and sends raw signals.
 */
@Command(name = "gunictl", mixinStandardHelpOptions = true, versionProvider = Gunictl.Version.class,
        description = "Operate a running gunicorn-jvm master.",
        subcommands = {Gunictl.Status.class, Gunictl.Kill.class})
public final class Gunictl {
    /** Exit code when no running master can be found through the pidfile. */
    static final int NO_MASTER = 3;

    @Option(names = {"-p", "--pid"}, paramLabel = "FILE", defaultValue = "gunicorn.pid", scope = CommandLine.ScopeType.INHERIT,
            description = "Pidfile of the master. Default: ${DEFAULT-VALUE}.")
    Path pidFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Gunictl()).execute(args));
    }

    /** The master's pid, or a one-line explanation of why there is none. */
    int masterPid() throws NoMaster {
        OptionalInt pid = new PidFile(pidFile).read();
        if (pid.isEmpty()) {
            throw new NoMaster("no master: pidfile " + pidFile + " is missing or unreadable (use -p to name it)");
        }
        String title = cmdline(pid.getAsInt());
        if (!title.startsWith("gunicorn: master")) {
            throw new NoMaster("no master: pidfile " + pidFile + " names pid " + pid.getAsInt()
                    + ", which is not a running gunicorn master (stale pidfile)");
        }
        return pid.getAsInt();
    }

    static String cmdline(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline")).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    static List<Integer> children(int pid) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Integer::parseInt).filter(child -> parentOf(child) == pid).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    private static int parentOf(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static final class NoMaster extends Exception {
        NoMaster(String message) {
            super(message);
        }
    }

    @Command(name = "status", description = "Show the master and its workers.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        Gunictl parent;

        @Override
        public Integer call() {
            try {
                int pid = parent.masterPid();
                System.out.println("master " + pid + "  " + cmdline(pid));
                for (int worker : children(pid)) {
                    if (!cmdline(worker).startsWith("gunicorn: worker")) {
                        continue; // e.g. jcmd taking a thread dump
                    }
                    System.out.println("worker " + worker + "  " + cmdline(worker));
                }
                return 0;
            } catch (NoMaster e) {
                System.err.println(e.getMessage());
                return NO_MASTER;
            }
        }
    }

    @Command(name = "kill", description = "Send a signal (name or number, e.g. QUIT or 3) to the master.")
    static final class Kill implements Callable<Integer> {
        @CommandLine.ParentCommand
        Gunictl parent;

        @Parameters(paramLabel = "SIGNAL")
        String signal;

        @Override
        public Integer call() {
            Signal s = Signal.parse(signal).orElse(null);
            if (s == null) {
                System.err.println("unknown signal '" + signal + "' (use one of HUP INT QUIT TERM USR1 USR2 TTIN TTOU WINCH)");
                return 2;
            }
            try {
                int pid = parent.masterPid();
                Posix.get().kill(pid, s.number());
                System.out.println("sent " + s.name() + " to master " + pid);
                return 0;
            } catch (Errno e) {
                System.err.println("cannot signal the master: " + e.getMessage()
                        + (e.code() == Errno.EPERM ? " (run gunictl as the master's user or root)" : ""));
                return 1;
            } catch (NoMaster e) {
                System.err.println(e.getMessage());
                return NO_MASTER;
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Gunictl.class.getPackage().getImplementationVersion();
            return new String[] {"gunictl (gunicorn-jvm) " + (v != null ? v : "dev")};
        }
    }
}
