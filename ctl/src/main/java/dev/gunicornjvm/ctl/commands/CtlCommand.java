package dev.gunicornjvm.ctl.commands;

import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.client.ControlClient;
import dev.gunicornjvm.ctl.output.Output;
import dev.gunicornjvm.ctl.output.Report;
import dev.gunicornjvm.ctl.signals.SignalSender;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.support.GunictlVersion;
import dev.gunicornjvm.ctl.target.MasterLocator;
import dev.gunicornjvm.ctl.target.MasterProcess;
import dev.gunicornjvm.ctl.target.Target;
import dev.gunicornjvm.ctl.target.TargetSource;
import dev.gunicornjvm.ctl.wait.Deadline;
import dev.gunicornjvm.ctl.wait.MasterWatch;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every gunictl command shares: --json and --timeout, finding the master, talking to it, and turning
 * the outcome into output and an exit code. A command only says what to do in {@link #run(Report)} and
 * throws a {@link GunictlException} when it cannot.
 *
 * <p>Instances hold no state beyond one execution, so a shell can make a fresh command line per input line.
 */
// Command attributes are inherited: every command gets --help and --version.
@Command(mixinStandardHelpOptions = true, versionProvider = GunictlVersion.class)
public abstract class CtlCommand implements Callable<Integer> {
    @ParentCommand
    private TargetSource parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object for scripts instead of text.")
    private boolean json;

    // The default differs per command: TimeoutDefault supplies it from defaultTimeout().
    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up (and exit 1) after SECONDS. Default: ${DEFAULT-VALUE}.")
    private double timeoutSeconds;

    /** About eleven days: far beyond any wait, and far from overflowing a deadline in nanoseconds. */
    private static final double MAX_TIMEOUT_SECONDS = 1_000_000;

    private SignalSender signals;

    /** What this command does; steps and facts go into the report, failures are thrown. */
    protected abstract void run(Report report) throws GunictlException;

    /** How long this command waits by default: long enough for what it waits on, on a busy machine. */
    public abstract Duration defaultTimeout();

    @Override
    public final Integer call() {
        return execute(spec.name(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * Runs this command with the options picocli would have set: gunictl's fast path for a plain
     * {@code gunictl status}, which parses its few options without building picocli's model
     * ({@code dev.gunicornjvm.ctl.FastStatus}).
     */
    public final int execute(TargetSource parent, boolean json, double timeoutSeconds, String name, PrintWriter out,
                             PrintWriter err) {
        this.parent = parent;
        this.json = json;
        this.timeoutSeconds = timeoutSeconds;
        return execute(name, out, err);
    }

    private int execute(String name, PrintWriter out, PrintWriter err) {
        Output output = Output.of(json, out, err);
        Report report = new Report(name);
        output.attach(report);
        try {
            if (!(timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_SECONDS)) {
                throw GunictlException.usage("--timeout must be a number of seconds above 0 and at most "
                        + (long) MAX_TIMEOUT_SECONDS + ", not " + timeoutSeconds);
            }
            run(report);
        } catch (GunictlException e) {
            report.fail(e);
        }
        output.finish(report);
        return report.exitCode();
    }

    protected Target target() {
        return parent.target();
    }

    protected MasterLocator masters() {
        return new MasterLocator(target());
    }

    protected ControlClient control() {
        return new ControlClient(target().controlDirectory());
    }

    protected Duration timeout() {
        return Duration.ofMillis(Math.round(timeoutSeconds * 1000));
    }

    protected Deadline deadline() {
        return Deadline.after(timeout());
    }

    protected MasterWatch watch(MasterProcess master, String name) {
        return new MasterWatch(control(), master, name);
    }

    /** The signal sender, created on first use: only commands that signal load the native layer. */
    protected SignalSender signals() throws GunictlException {
        if (signals == null) {
            signals = new SignalSender();
        }
        return signals;
    }

    /**
     * Sends a signal to a master; a master that vanished meanwhile is "no master".
     *
     * @return what was done, e.g. "sent HUP to master 1234"
     */
    protected String signal(MasterProcess master, Signal signal, String name) throws GunictlException {
        if (!master.alive() || !signals().send(master.pid(), signal, name)) {
            throw GunictlException.noMaster(name + " has exited; " + signal.name() + " not sent");
        }
        return "sent " + signal.name() + " to " + name;
    }

    /** "master 1234". */
    protected static String name(MasterProcess master) {
        return "master " + master.pid();
    }
}
