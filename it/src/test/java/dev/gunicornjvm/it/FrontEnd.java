package dev.gunicornjvm.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real front end (nginx, HAProxy) run in the foreground by a test, its output in a file; closing it
 * stops it and every process it forked, even if it hangs.
 */
final class FrontEnd implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path output;

    private FrontEnd(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /**
     * The installed program {@code program} (found in /usr/sbin, /usr/local/sbin or the PATH), or a
     * failure naming bin/install-test-tools: CI installs nothing by itself.
     */
    static Path program(String program) {
        for (String dir : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(program + " is not installed: run bin/install-test-tools (as root) first");
    }

    /** Starts {@code command} in {@code dir} and waits until it accepts TCP connections on 127.0.0.1:{@code port}. */
    static FrontEnd start(String name, Path dir, int port, String... command) throws IOException {
        Path output = dir.resolve(name + ".out");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        FrontEnd frontEnd = new FrontEnd(name, process, output);
        try {
            Wait.until(name + " accepting on port " + port, Duration.ofSeconds(20), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + frontEnd.output());
                }
                return accepts(port);
            });
        } catch (RuntimeException | Error e) {
            frontEnd.close();
            throw e;
        }
        return frontEnd;
    }

    /** A TCP port free on 127.0.0.1 right now, for a front end's listener. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String output() {
        return Gunicorn.read(output);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> forked = process.descendants().toList();
        process.destroy(); // SIGTERM: both stop at once, their workers with them
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        forked.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return name;
    }
}
