package dev.gunicornjvm.ctl;

import dev.gunicornjvm.ctl.commands.KillCommand;
import dev.gunicornjvm.ctl.commands.QuitCommand;
import dev.gunicornjvm.ctl.commands.ReloadCommand;
import dev.gunicornjvm.ctl.commands.ReopenLogsCommand;
import dev.gunicornjvm.ctl.commands.ScaleCommand;
import dev.gunicornjvm.ctl.commands.StatusCommand;
import dev.gunicornjvm.ctl.commands.StopCommand;
import dev.gunicornjvm.ctl.commands.TimeoutDefault;
import dev.gunicornjvm.ctl.commands.UpgradeCommand;
import dev.gunicornjvm.ctl.commands.WinchCommand;
import dev.gunicornjvm.ctl.shell.ShellCommand;
import dev.gunicornjvm.ctl.support.ExitCode;
import dev.gunicornjvm.ctl.support.GunictlVersion;
import dev.gunicornjvm.ctl.target.Target;
import dev.gunicornjvm.ctl.target.TargetSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * gunictl: operate a running gunicorn-jvm master found through its pidfile. Every command that changes
 * something waits until the change has really happened (or failed) and says which, with an exit code
 * to match (docs/gunictl.md).
 */
@Command(name = "gunictl", mixinStandardHelpOptions = true, versionProvider = GunictlVersion.class,
        description = "Operate a running gunicorn-jvm master: each command waits until the change has really"
                + " happened or failed, and says which.",
        footer = {"", "Exit codes: 0 done, 1 failed or timed out, 2 usage, 3 no master (missing or stale pidfile),",
                "4 permission denied or control socket unreachable. See docs/gunictl.md."})
public final class Gunictl implements Callable<Integer>, TargetSource {
    // INHERIT: accepted before or after the command name ("gunictl -p x status", "gunictl status -p x").
    @Option(names = {"-p", "--pid"}, paramLabel = "PIDFILE", defaultValue = "gunicorn.pid", scope = ScopeType.INHERIT,
            description = "Pidfile of the master (gunicorn's -p). During an upgrade PIDFILE.oldbin names the old"
                    + " master. Default: ${DEFAULT-VALUE}.")
    private Path pidFile;

    @Option(names = "--control-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Directory of the control sockets (gunicorn's --control-dir). Default: PIDFILE.ctl.")
    private Path controlDir;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * The subcommands, in the order help lists them. Made and added here rather than named in
     * {@code @Command(subcommands)}, so that a run of one command builds only that command's model:
     * picocli's models cost most of gunictl's start-up.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();
    /** The commands that need every command's model; every other one needs only its own. */
    private static final Set<String> NEED_ALL = Set.of("generate-completion", "shell");

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("status", StatusCommand::new);
        m.put("reload", ReloadCommand::new);
        m.put("upgrade", UpgradeCommand::new);
        m.put("scale", ScaleCommand::new);
        m.put("stop", StopCommand::new);
        m.put("quit", QuitCommand::new);
        m.put("reopen-logs", ReopenLogsCommand::new);
        m.put("winch", WinchCommand::new);
        m.put("kill", KillCommand::new);
        m.put("generate-completion", AutoComplete.GenerateCompletion::new);
        m.put("shell", () -> new ShellCommand(Gunictl::commandLine));
        return m;
    }

    public static void main(String[] args) {
        WarmUp.start();
        System.exit(commandLine(args).execute(args));
    }

    /**
     * A fresh, fully configured command line. Cheap enough to make one per input line, which is how an
     * interactive shell should run commands: no state leaks from one command to the next.
     */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /** A command line for these arguments: with only their command when it stands alone, else with all. */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Gunictl());
        String command = commandName(args);
        if (SUBCOMMANDS.containsKey(command) && !NEED_ALL.contains(command)) {
            cl.addSubcommand(SUBCOMMANDS.get(command).get());
        } else {
            SUBCOMMANDS.values().forEach(s -> cl.addSubcommand(s.get()));
        }
        cl.setDefaultValueProvider(new TimeoutDefault());
        cl.setParameterExceptionHandler(Gunictl::usageError);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("gunictl " + line.getCommandName() + ": internal error: " + e);
            return ExitCode.FAILED;
        });
        return cl;
    }

    /** The first word that is neither an option nor an option's value, or null. */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-p") || a.equals("--pid") || a.equals("--control-dir")) {
                i++; // its value
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    /** One line saying what is wrong and where to read more; not the whole usage text. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        line.getErr().println("gunictl: " + e.getMessage());
        line.getErr().println("Try '" + line.getCommandSpec().qualifiedName() + " --help'.");
        return ExitCode.USAGE;
    }

    @Override
    public Target target() {
        return new Target(pidFile, controlDir);
    }

    /** No command: the interactive shell, as with {@code gunictl shell}. */
    @Override
    public Integer call() {
        return ShellCommand.open(spec, Gunictl::commandLine);
    }

}
