package dev.gunicornjvm.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real bin/gunictl run as a process, as an operator would, in a given directory: its exit code,
 * stdout and stderr. It runs on the same JDK as the server under test (GUNICORN_JAVA), and keeps its
 * class-data archive under it/target, not in the home directory.
 */
final class GunictlCli {
    static final Path GUNICTL = Gunicorn.HOME.resolve("bin/gunictl");
    private static final Path CACHE = Gunicorn.HOME.resolve("it/target/gunictl-cache");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run printed and how it exited. */
    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not one JSON object on stdout: " + this, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    private GunictlCli() {
    }

    static Result run(Path dir, String... args) {
        return run(dir, Duration.ofSeconds(120), args);
    }

    static Result run(Path dir, Duration limit, String... args) {
        List<String> command = new ArrayList<>();
        command.add(GUNICTL.toString());
        command.addAll(Arrays.asList(args));
        try {
            Path scratch = Scratch.dir("gunictl-");
            Path out = scratch.resolve("stdout.txt");
            Path err = scratch.resolve("stderr.txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            String serverJava = System.getProperty("server.java");
            if (serverJava != null && !serverJava.isBlank()) {
                pb.environment().put("GUNICORN_JAVA", serverJava);
            }
            pb.environment().put("XDG_CACHE_HOME", CACHE.toString());
            // What gunictl (and the class-data training run it may start) makes goes with the test.
            pb.environment().put("TMPDIR", scratch.toString());
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("gunictl " + String.join(" ", args) + " still running after " + limit
                        + ":\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** A master this test started indirectly (the new master of an upgrade) and the harness cannot see. */
    static void killIfAlive(long pid) {
        if (pid > 0 && Procs.alive(pid) && Procs.cmdline(pid).startsWith("gunicorn: ")) {
            List<Long> family = new ArrayList<>(Procs.children(pid));
            Procs.kill("KILL", pid);
            family.forEach(c -> Procs.kill("KILL", c));
            Wait.until("master " + pid + " to be gone", Duration.ofSeconds(10), () -> !Procs.alive(pid));
        }
    }
}
