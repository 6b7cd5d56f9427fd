package dev.gunicornjvm.ctl.shell;

import dev.gunicornjvm.common.control.UpgradeRole;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.ctl.wait.Workers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import picocli.CommandLine;

/**
 * The interactive gunictl: a JLine line reader that runs each line as a gunictl command line, with a
 * prompt that shows the master (refreshed before each prompt), completion from the picocli model,
 * persistent history, and a few commands of its own (help, watch, exit/quit-shell).
 *
 * <p>Ctrl-C abandons the line being typed, or interrupts the command running; Ctrl-D on an empty line
 * leaves with exit code 0. {@code quit} keeps its meaning everywhere: it stops the server gracefully.
 * With stdin not a terminal the same loop reads commands from it without prompts (a script), and exits
 * with the last command's exit code.
 */
final class Shell {
    /** Environment variable naming the history file (default ~/.gunictl_history). */
    static final String HISTORY_ENV = "GUNICTL_HISTORY";

    /** True while a shell runs in this JVM: `shell` (or no command) typed inside it opens no second one. */
    private static volatile boolean active;

    private final ShellContext context;
    private final MasterProbe probe;
    private final Thread mainThread = Thread.currentThread();
    /** The last reason shown for "no master", so it is printed once, not before every prompt. */
    private String shownProblem;

    Shell(ShellContext context) {
        this.context = context;
        this.probe = new MasterProbe(context.target());
    }

    static Path historyFile() {
        String env = System.getenv(HISTORY_ENV);
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".gunictl_history");
    }

    int run() {
        if (active) {
            System.err.println("already in the gunictl shell: type a command (help lists them), or exit to leave");
            return 2;
        }
        active = true;
        // dumb(true): with stdin not a terminal, read it as a script instead of warning about it.
        try (Terminal terminal = TerminalBuilder.builder().name("gunictl").system(true).dumb(true).build()) {
            return loop(terminal);
        } catch (IOException e) {
            System.err.println("gunictl shell: cannot open the terminal: " + e.getMessage());
            return 1;
        } finally {
            active = false;
        }
    }

    private int loop(Terminal terminal) {
        boolean interactive = !(terminal instanceof DumbTerminal);
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(true);
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("gunictl")
                .parser(parser)
                .completer(new ShellCompleter(context::commandLine, probe::snapshot))
                .history(new DefaultHistory())
                .variable(LineReader.HISTORY_FILE, historyFile())
                .variable(LineReader.HISTORY_SIZE, 1000)
                .variable(LineReader.HISTORY_FILE_SIZE, 2000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "!" is just a character
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .variable(LineReader.DISABLE_HISTORY, !interactive) // a script's lines stay out of the history
                .build();
        // Outside readLine (which handles it itself), Ctrl-C interrupts the command running, not the shell.
        terminal.handle(Terminal.Signal.INT, signal -> mainThread.interrupt());
        PrintWriter out = terminal.writer();
        if (interactive) {
            out.println("gunictl shell: help lists the commands, Tab completes, exit or Ctrl-D leaves;"
                    + " quit stops the server.");
            out.flush();
        }
        int last = 0;
        try {
            while (true) {
                String line;
                try {
                    line = reader.readLine(interactive ? prompt(out) : "");
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C: the line is abandoned, the shell stays
                } catch (EndOfFileException e) {
                    return interactive ? 0 : last;
                }
                List<String> words;
                try {
                    words = words(parser, line);
                } catch (SyntaxError e) {
                    out.println("gunictl shell: " + e.getMessage());
                    out.flush();
                    last = 2;
                    continue;
                }
                if (words.isEmpty()) {
                    continue;
                }
                switch (words.get(0)) {
                    case "exit", "quit-shell" -> {
                        return interactive ? 0 : last;
                    }
                    case "help" -> last = help(out, terminal.getWidth(), words.subList(1, words.size()));
                    case "watch" -> last = new Watch(terminal, this).run(words.subList(1, words.size()));
                    default -> last = execute(words);
                }
                Thread.interrupted(); // a Ctrl-C that ended the command (the terminal echoed ^C) ends here
            }
        } finally {
            try {
                if (interactive) {
                    reader.getHistory().save();
                }
            } catch (IOException | UncheckedIOException e) {
                System.err.println("gunictl shell: cannot save the history in " + historyFile() + ": " + e.getMessage());
            }
        }
    }

    /** The words of a line as a shell would split them (quotes and backslashes), "#" starting a comment. */
    static List<String> words(Parser parser, String line) {
        if (line.isBlank() || line.strip().startsWith("#")) {
            return List.of();
        }
        List<String> words = new ArrayList<>(parser.parse(line, line.length(), Parser.ParseContext.ACCEPT_LINE).words());
        if (!words.isEmpty() && words.get(words.size() - 1).isEmpty()) {
            words.remove(words.size() - 1); // the empty word after a trailing space
        }
        if (!words.isEmpty() && words.get(0).equals("gunictl")) {
            words.remove(0); // pasted from a command line
        }
        return words;
    }

    /** Runs one gunictl command line, as the gunictl command would, and returns its exit code. */
    int execute(List<String> words) {
        Thread.interrupted(); // a Ctrl-C between commands must not hit this one
        try {
            return context.commandLine().execute(words.toArray(new String[0]));
        } finally {
            System.out.flush();
            System.err.flush();
            // A Ctrl-C stays flagged on this thread for the caller (watch stops on it); the loop clears it.
        }
    }

    private int help(PrintWriter out, int columns, List<String> args) {
        CommandLine cl = context.commandLine();
        if (!args.isEmpty()) {
            CommandLine sub = cl.getSubcommands().get(args.get(0));
            if (sub != null) {
                sub.usage(out);
                out.flush();
                return 0;
            }
            if (!List.of("help", "watch", "exit", "quit-shell").contains(args.get(0))) {
                out.println("help: no command '" + args.get(0) + "'; help lists them");
                out.flush();
                return 2;
            }
        }
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("shell") || e.getValue().getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            rows.add(new String[] {e.getKey(), summary(e.getValue().getCommandSpec().usageMessage().description())});
        }
        int commands = rows.size();
        rows.add(new String[] {"help [COMMAND]", "this list, or one command's help"});
        rows.add(new String[] {"watch [-n SECONDS] [COMMAND...]",
                "run COMMAND (default: status) every SECONDS (default: 1) until a key is pressed"});
        rows.add(new String[] {"exit, quit-shell", "leave the shell (Ctrl-D on an empty line too)"});
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0) + 2;
        int room = Math.max(20, (columns > 0 ? columns : 80) - 2 - width - 1);
        out.println("Commands (the same as on the command line; help COMMAND shows one in full):");
        for (int i = 0; i < rows.size(); i++) {
            if (i == commands) {
                out.println("Shell commands:");
            }
            String text = rows.get(i)[1];
            out.printf("  %-" + width + "s%s%n", rows.get(i)[0], text.length() <= room ? text : text.substring(0, room - 1) + "\u2026");
        }
        out.println("quit stops the server gracefully, here as everywhere; exit or Ctrl-D leaves the shell.");
        out.println("-p and --control-dir given to the shell apply to every command typed in it.");
        out.flush();
        return 0;
    }

    /** The first sentence of a command's description (one that ends with ". " before a capital). */
    static String summary(String[] description) {
        String text = description == null || description.length == 0 ? "" : description[0];
        for (int end = text.indexOf(". "); end > 0; end = text.indexOf(". ", end + 1)) {
            if (end + 2 < text.length() && Character.isUpperCase(text.charAt(end + 2))) {
                return text.substring(0, end + 1);
            }
        }
        return text;
    }

    /** The prompt for the master as it is now; says why when there is none (once per reason). */
    private String prompt(PrintWriter out) {
        MasterProbe.Snapshot s = probe.snapshot();
        if (!s.up()) {
            if (!s.problem().equals(shownProblem)) {
                out.println(s.problem());
                out.flush();
                shownProblem = s.problem();
            }
            return s.pid() == 0 ? "gunicorn[no master]> " : "gunicorn[" + s.pid() + "] no status> ";
        }
        shownProblem = null;
        return promptFor(s.status());
    }

    /** E.g. {@code gunicorn[20682] 2 workers> }, {@code gunicorn[20682] 2 workers (target 3)> }. */
    static String promptFor(MasterStatus status) {
        int n = Workers.withoutStandbys(status);
        StringBuilder p = new StringBuilder("gunicorn[").append(status.pid()).append("] ")
                .append(n).append(n == 1 ? " worker" : " workers");
        if (status.stopping()) {
            p.append(", stopping");
        } else if (status.targetWorkers() != n) {
            p.append(" (target ").append(status.targetWorkers()).append(')');
        }
        if (status.upgrade() != null && status.upgrade() != UpgradeRole.NONE) {
            p.append(", ").append(status.upgrade() == UpgradeRole.NEW_MASTER_RUNNING ? "old master" : "new master");
        }
        return p.append("> ").toString();
    }
}
