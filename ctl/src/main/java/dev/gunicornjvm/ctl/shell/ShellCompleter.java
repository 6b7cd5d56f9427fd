package dev.gunicornjvm.ctl.shell;

import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.ctl.signals.SpecSignals;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion from gunictl's picocli model, so it follows the commands as they are defined: command
 * names, each command's options, option values (completion candidates and enums from the model, signal
 * names for SIGNAL parameters, files for paths), the shell's own commands, and the master's current
 * worker pids after {@code --worker}.
 */
final class ShellCompleter implements Completer {
    private static final String COMMANDS = "commands";
    private static final String SHELL = "shell commands";

    private final Supplier<CommandLine> model;
    private final Supplier<MasterProbe.Snapshot> master;
    private final Completer files = new Completers.FileNameCompleter();

    ShellCompleter(Supplier<CommandLine> model, Supplier<MasterProbe.Snapshot> master) {
        this.model = model;
        this.master = master;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> before = line.words().subList(0, line.wordIndex());
        String word = line.word().substring(0, line.wordCursor());
        complete(reader, line, before, word, candidates);
    }

    private void complete(LineReader reader, ParsedLine line, List<String> before, String word, List<Candidate> out) {
        int i = 0;
        if (!before.isEmpty() && before.get(0).equals("gunictl")) {
            i = 1; // "gunictl status" works in the shell too
        }
        CommandLine root = model.get();
        if (i == before.size()) {
            commands(root, out);
            if (word.startsWith("-")) {
                options(root.getCommandSpec(), out);
            }
            return;
        }
        String first = before.get(i);
        switch (first) {
            case "help" -> {
                if (before.size() == i + 1) {
                    commands(root, out);
                }
                return;
            }
            case "watch" -> {
                int j = i + 1;
                while (j < before.size() && before.get(j).startsWith("-")) {
                    j += before.get(j).equals("-n") || before.get(j).equals("--interval") ? 2 : 1;
                }
                if (j > before.size()) {
                    return; // completing the interval
                }
                if (j == before.size() && word.startsWith("-")) {
                    out.add(option("-n", "--interval", "seconds between refreshes (default: 1)"));
                    out.add(option("--interval", "--interval", "seconds between refreshes (default: 1)"));
                }
                complete(reader, line, before.subList(j, before.size()), word, out);
                return;
            }
            case "exit", "quit-shell" -> {
                return;
            }
            default -> {
                // a gunictl command line
            }
        }
        walk(reader, line, root.getCommandSpec(), before.subList(i, before.size()), word, out);
    }

    /** Follows the words typed so far through the model, then offers what may come next. */
    private void walk(LineReader reader, ParsedLine line, CommandSpec spec, List<String> words, String word,
                      List<Candidate> out) {
        OptionSpec pending = null;
        boolean endOfOptions = false;
        int positional = 0;
        for (String w : words) {
            if (pending != null) {
                pending = null;
                continue;
            }
            if (!endOfOptions && w.equals("--")) {
                endOfOptions = true;
                continue;
            }
            if (!endOfOptions && w.startsWith("-") && w.length() > 1) {
                int eq = w.indexOf('=');
                OptionSpec option = spec.findOption(eq > 0 ? w.substring(0, eq) : w);
                if (option != null && eq < 0 && option.arity().max() > 0 && !option.typeInfo().isBoolean()) {
                    pending = option;
                }
                continue;
            }
            CommandLine sub = positional == 0 ? spec.subcommands().get(w) : null;
            if (sub != null) {
                spec = sub.getCommandSpec();
                continue;
            }
            positional++;
        }
        boolean toWorker = words.stream().anyMatch(w -> w.equals("--worker") || w.startsWith("--worker="));
        if (pending != null) {
            values(reader, line, pending, toWorker, out);
            return;
        }
        if (!endOfOptions && word.startsWith("-")) {
            options(spec, out);
            return;
        }
        if (positional == 0 && !spec.subcommands().isEmpty()) {
            subcommands(spec, out);
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.index().contains(positional) && !p.hidden()) {
                values(reader, line, p, toWorker, out);
            }
        }
    }

    private void commands(CommandLine root, List<Candidate> out) {
        subcommands(root.getCommandSpec(), out);
        out.add(new Candidate("help", "help", SHELL, "list the commands, or show one command's help", null, null, true));
        out.add(new Candidate("watch", "watch", SHELL, "run a command (default: status) every second until a key is pressed",
                null, null, true));
        out.add(new Candidate("exit", "exit", SHELL, "leave the shell (also Ctrl-D); quit stops the server", null, null, true));
        out.add(new Candidate("quit-shell", "quit-shell", SHELL, "leave the shell, like exit", null, null, true));
    }

    private static void subcommands(CommandSpec spec, List<Candidate> out) {
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (sub.usageMessage().hidden() || e.getKey().equals("shell")) {
                continue;
            }
            out.add(new Candidate(e.getKey(), e.getKey(), COMMANDS, Shell.summary(sub.usageMessage().description()),
                    null, null, true));
        }
    }

    private static void options(CommandSpec spec, List<Candidate> out) {
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            for (String name : o.names()) {
                out.add(option(name, o.longestName(), firstLine(o.description())));
            }
        }
    }

    private static Candidate option(String name, String key, String description) {
        return new Candidate(name, name, "options", description, null, key, true);
    }

    /** Values for an option's parameter or a positional parameter. */
    private void values(LineReader reader, ParsedLine line, ArgSpec arg, boolean toWorker, List<Candidate> out) {
        if (arg instanceof OptionSpec o && List.of(o.names()).contains("--worker")) {
            workers(out);
            return;
        }
        if (arg.completionCandidates() != null) {
            for (String c : arg.completionCandidates()) {
                out.add(new Candidate(c));
            }
            return;
        }
        Class<?> type = arg.typeInfo().getType();
        if (type.isEnum()) {
            for (Object c : type.getEnumConstants()) {
                out.add(new Candidate(c.toString()));
            }
            return;
        }
        if (arg.paramLabel().toUpperCase(Locale.ROOT).contains("SIGNAL")) {
            // A worker acts on fewer signals than its master: offer only those after --worker.
            for (Signal s : toWorker ? SpecSignals.WORKER : SpecSignals.MASTER) {
                out.add(new Candidate(s.name()));
            }
            return;
        }
        if (type == Path.class || type == File.class) {
            files.complete(reader, line, out);
        }
    }

    private void workers(List<Candidate> out) {
        MasterProbe.Snapshot snapshot = master.get();
        if (!snapshot.up()) {
            return;
        }
        for (MasterStatus.Worker w : snapshot.status().workers()) {
            String pid = Integer.toString(w.pid());
            out.add(new Candidate(pid, pid, "workers of master " + snapshot.status().pid(),
                    "generation " + w.generation() + ", " + w.state() + ", up " + w.ageSeconds() + " s", null, null, true));
        }
    }

    private static String firstLine(String[] description) {
        return description == null || description.length == 0 ? null : description[0];
    }
}
