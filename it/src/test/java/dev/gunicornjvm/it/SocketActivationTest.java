package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Sockets the master is given rather than opens: systemd socket activation (through the real
 * systemd-socket-activate, which sets LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES exactly as systemd does
 * and execs the launcher in place), fd://N binds (a python wrapper opens the socket and execs the
 * launcher), and --reuse-port (two masters on one port).
 */
class SocketActivationTest {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Path LAUNCHER = Gunicorn.HOME.resolve("bin/gunicorn");
    private static final List<String> HELLO = List.of("-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO);

    @Test
    void activatedSocketReplacesTheBindsAndSurvivesReloadAndUpgrade() throws Exception {
        int port = freePort();
        int configured = freePort();
        List<String> wrapper = List.of("/usr/bin/systemd-socket-activate", "-l", "127.0.0.1:" + port, "--fdname=web");
        try (Gunicorn g = Gunicorn.startWrapped(wrapper, LAUNCHER, Map.of(),
                args("-w", "1", "-b", "127.0.0.1:" + configured))) {
            g.awaitOutput("Listening on 127.0.0.1:" + port, STEP);
            poke(port); // systemd-socket-activate execs the launcher on the first connection
            g.awaitOutput("Socket activation: serving on fd://3 \\(web\\) instead of the configured binds \\[127.0.0.1:"
                    + configured + "\\]", STEP);
            g.awaitOutput("Listening at: http://127.0.0.1:" + port + " \\(" + g.pid() + "\\)", STEP);
            assertEquals(port, g.port());
            List<Long> first = g.awaitServingWorkers(1);
            assertFalse(listening(configured), "the configured bind is not opened");
            assertEquals(List.of(), activationVariables(first.get(0)), "workers do not see systemd's variables");

            g.signal("HUP");
            Wait.until("a new worker after HUP", STEP, () -> !g.workers().isEmpty() && !g.workers().equals(first));
            g.awaitServingWorkers(1);

            g.signal("USR2");
            long fresh = Long.parseLong(g.awaitOutput("started a new master \\(pid: (\\d+)\\)", STEP).group(1));
            g.awaitOutput("\\[" + fresh + "\\] \\[INFO\\] Socket activation: serving on fd://3 \\(web\\)", STEP);
            g.awaitOutput("\\[" + fresh + "\\] \\[INFO\\] Listening at: http://127.0.0.1:" + port + " ", STEP);
            assertEquals(List.of(), activationVariables(fresh).stream().filter(v -> v.startsWith("LISTEN_FDNAMES")
                    || v.startsWith("LISTEN_PID")).toList(), "systemd's own variables stop at the first master");
            g.signal("QUIT"); // the old master goes: the new one alone serves on systemd's socket
            g.awaitExit(STEP);
            List<Long> upgraded = g.awaitServingWorkersOf(fresh, 1, "/");
            assertEquals(List.of(), activationVariables(upgraded.get(0)));
            assertFalse(listening(configured), "nor does the new master open the configured bind");
            Procs.kill("QUIT", fresh);
            Wait.until("the new master to exit", STEP, () -> !Procs.alive(fresh));
        }
    }

    @Test
    void aDaemonServesOnTheActivatedSocket() throws Exception {
        int port = freePort();
        Path dir = Scratch.dir("gunicorn-activated-daemon-");
        Path pidfile = dir.resolve("app.pid");
        Path errorLog = dir.resolve("error.log");
        List<String> wrapper = List.of("/usr/bin/systemd-socket-activate", "-l", "127.0.0.1:" + port, "--fdname=web");
        try (Gunicorn launcher = Gunicorn.startWrapped(wrapper, LAUNCHER, Map.of(),
                args("-D", "-w", "1", "-p", pidfile.toString(), "--error-logfile", errorLog.toString()))) {
            launcher.awaitOutput("Listening on 127.0.0.1:" + port, STEP);
            // The first request starts the master, and waits in the socket's queue until the daemon's worker serves it.
            Http.Reply first = Http.get("http://127.0.0.1:" + port + "/", STEP);
            assertEquals(0, launcher.awaitExit(STEP), launcher.output());
            long daemon = Long.parseLong(Gunicorn.read(pidfile).trim());
            launcher.workersOf(daemon); // tracked, so the test cleans up after a failure
            assertTrue(first.ok(), first + "\n" + launcher.output());
            launcher.awaitOutput("\\[" + daemon + "\\] \\[INFO\\] Socket activation: serving on fd://3 \\(web\\)", STEP);
            launcher.awaitOutput("\\[" + daemon + "\\] \\[INFO\\] Listening at: http://127.0.0.1:" + port + " ", STEP);
            Procs.kill("QUIT", daemon);
            Wait.until("the daemon to exit", STEP, () -> !Procs.alive(daemon));
        }
    }

    @Test
    void fdBindAdoptsAnInheritedListenerAndHandsItOverOnUpgrade() throws Exception {
        try (Gunicorn g = Gunicorn.startWrapped(pythonWrapper(), LAUNCHER, Map.of(), args("-w", "1", "-b", "fd://5"))) {
            int port = Integer.parseInt(g.awaitOutput("Listening at: http://127.0.0.1:(\\d+) \\(" + g.pid() + "\\)", STEP)
                    .group(1));
            assertNotEquals(0, port, "the address the socket really has");
            g.awaitServingWorkers(1);

            g.signal("USR2");
            long fresh = Long.parseLong(g.awaitOutput("started a new master \\(pid: (\\d+)\\)", STEP).group(1));
            g.awaitOutput("\\[" + fresh + "\\] \\[INFO\\] Listening at: http://127.0.0.1:" + port + " ", STEP);
            g.signal("QUIT");
            g.awaitExit(STEP);
            g.awaitServingWorkersOf(fresh, 1, "/");
            Procs.kill("QUIT", fresh);
            Wait.until("the new master to exit", STEP, () -> !Procs.alive(fresh));
        }
    }

    @Test
    void fdBindThatIsNotListeningIsAOneLineError() throws Exception {
        try (Gunicorn g = Gunicorn.startWrapped(pythonWrapper(), LAUNCHER, Map.of(), args("-b", "fd://6"))) {
            assertEquals(1, g.awaitExit(STEP), g.output());
            g.awaitOutput("\\[ERROR\\] Error: fd://6 is not a listening socket \\(nobody called listen\\(\\) on it; pass a"
                    + " socket that is bound and listening, e.g. from systemd or a wrapper that opens it, or bind an"
                    + " address instead\\)\n", STEP);
        }
    }

    @Test
    void reusePortLetsTwoMastersServeOnePortAndWithoutItTheSecondFails() throws Exception {
        int port = freePort();
        try (Gunicorn a = Gunicorn.start(args("-w", "1", "--reuse-port", "-b", "127.0.0.1:" + port))) {
            a.awaitOutput("Listening at: http://127.0.0.1:" + port + " ", STEP);
            // Both others at once, as soon as a holds the port: the two master starts overlap.
            try (Gunicorn b = Gunicorn.start(args("-w", "1", "--reuse-port", "-b", "127.0.0.1:" + port));
                 Gunicorn c = Gunicorn.start(args("-w", "1", "-b", "127.0.0.1:" + port))) {
                assertEquals(1, c.awaitExit(STEP), c.output());
                assertTrue(c.output().contains("Error: cannot listen at 127.0.0.1:" + port + ": Address already in use"
                        + " (another server is using it; stop it or choose another --bind)"), c.output());
                long aWorker = a.awaitServingWorkers(1).get(0);
                long bWorker = b.awaitServingWorkers(1).get(0);
                Set<Long> answered = new HashSet<>();
                // The kernel spreads new connections over both sockets by a hash of the client's port.
                Wait.until("both masters' workers answering on port " + port + " (answered " + answered + ")", STEP, () -> {
                    Http.Reply r = Http.getClosing("127.0.0.1", port, "/");
                    if (r.ok()) {
                        answered.add(r.workerPid());
                    }
                    return answered.contains(aWorker) && answered.contains(bWorker);
                });
            }
        }
    }

    private static String[] args(String... first) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(HELLO);
        return all.toArray(String[]::new);
    }

    /**
     * A python3 program that opens a listening socket on an ephemeral loopback port at fd 5 and a bound
     * socket nobody listens on at fd 6, then execs the launcher with the rest of its arguments (so the
     * process the test started is the master).
     */
    private static List<String> pythonWrapper() {
        String program = String.join("\n",
                "import os, socket, sys",
                "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(64); os.dup2(s.fileno(), 5)",
                "t = socket.socket(); t.bind(('127.0.0.1', 0)); os.dup2(t.fileno(), 6)",
                "os.execv(sys.argv[1], sys.argv[1:])");
        return List.of("python3", "-c", program);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens and closes one connection. */
    private static void poke(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        }
    }

    /** The variables of systemd's or of the master-to-master socket handover that a process has. */
    private static List<String> activationVariables(long pid) throws IOException {
        String environ = Files.readString(Path.of("/proc/" + pid + "/environ"));
        return List.of(environ.split("\0")).stream().filter(v -> v.startsWith("LISTEN_")
                || v.startsWith("GUNICORN_SOCKET_ACTIVATION=")).toList();
    }
}
