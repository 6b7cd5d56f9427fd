package dev.gunicornjvm.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bin/gunictl running in a real pseudo-terminal, the way a person would use its shell: started under
 * {@code script(1)} from util-linux, which gives it a pty of its own, forwards what we type to it and
 * hands back what it draws. Keys are bytes (Tab is \t, Enter \r, Ctrl-C \u0003, Ctrl-D \u0004); the
 * screen is read back as text with the terminal's escape sequences taken out.
 *
 * <p>{@link #close()} ends the processes it started (script and what runs under it) by pid.
 */
final class ShellPty implements AutoCloseable {
    /** CSI and OSC sequences, two-byte escapes, and carriage returns: what a screen shows, minus cursor moves. */
    private static final Pattern ESCAPES = Pattern.compile(
            "\u001B\\[[0-9;?<=>]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)|\u001B[()][0-9A-Za-z]|\u001B[=>78cDEHM]|\r|\u0007");

    private final Process process;
    private final OutputStream keys;
    private final StringBuilder raw = new StringBuilder();
    private final Thread reader;
    /** Where the part of the screen not yet matched by {@link #await} starts, in {@link #text()}. */
    private int mark;

    private ShellPty(Process process) {
        this.process = process;
        this.keys = process.getOutputStream();
        InputStream screen = process.getInputStream();
        this.reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = screen.read(buffer)) >= 0) {
                    synchronized (raw) {
                        raw.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "shell-pty-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code bin/gunictl ARGS} in a 200x50 pty, in directory {@code dir}, with extra environment
     * (TERM is xterm unless given).
     */
    static ShellPty start(Path dir, Map<String, String> env, String... gunictlArgs) throws IOException {
        StringBuilder command = new StringBuilder("stty cols 200 rows 50 && exec ")
                .append(quote(Gunicorn.HOME.resolve("bin/gunictl").toString()));
        for (String a : gunictlArgs) {
            command.append(' ').append(quote(a));
        }
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", command.toString(), "/dev/null")
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TERM", "xterm");
        pb.environment().put("TMPDIR", Scratch.dir("gunictl-shell-tmp-").toString()); // removed with the test
        String serverJava = System.getProperty("server.java");
        if (serverJava != null && !serverJava.isBlank()) {
            pb.environment().put("GUNICORN_JAVA", serverJava); // the shell runs on that JDK too
        }
        pb.environment().putAll(env);
        return new ShellPty(pb.start());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Types keys, as bytes; nothing is added (end a command with \r). */
    void type(String keystrokes) {
        try {
            keys.write(keystrokes.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot type into the shell (has it exited?):\n" + text(), e);
        }
    }

    /** Everything the shell drew so far, escape sequences removed. */
    String text() {
        synchronized (raw) {
            return ESCAPES.matcher(raw).replaceAll("");
        }
    }

    /** What the shell drew since the last {@link #await} matched. */
    String fresh() {
        String t = text();
        return t.substring(Math.min(mark, t.length()));
    }

    /**
     * Waits until what the shell drew since the last match matches the regex, then moves past the match.
     * Returns the match.
     */
    Matcher await(String regex, Duration limit) {
        Pattern p = Pattern.compile(regex);
        Matcher m = Wait.forValue("the shell to show /" + regex + "/; it drew since the last match:\n" + fresh()
                + "\n--- (the whole screen is in the failure below if this is empty) ---\n" + text(), limit, () -> {
                    String t = text();
                    Matcher found = p.matcher(t);
                    return found.find(Math.min(mark, t.length())) ? found : null;
                });
        mark = m.end();
        return m;
    }

    /** Like {@link #await}, for a fixed piece of text. */
    Matcher awaitText(String text, Duration limit) {
        return await(Pattern.quote(text), limit);
    }

    int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the shell is still running after " + limit.toMillis() + " ms:\n" + text());
            }
            reader.join(limit.toMillis());
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Kills script and everything under it (the gunictl JVM), by pid, if still running. */
    @Override
    public void close() {
        List<ProcessHandle> started = new ArrayList<>();
        process.toHandle().descendants().forEach(started::add);
        started.add(process.toHandle());
        started.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : started) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported below if it matters
            }
        }
        Wait.until("the shell's processes to be gone", Duration.ofSeconds(10),
                () -> started.stream().noneMatch(ProcessHandle::isAlive));
    }
}
