package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** -D/--daemon and WINCH, which only a daemonized master obeys. */
@Tag("signals")
class DaemonTest {
    @Test
    void daemonDetachesReturnsOnceServingAndWinchStopsItsWorkersUntilHup() throws Exception {
        Path dir = Scratch.dir("gunicorn-daemon-");
        Path pidfile = dir.resolve("app.pid");
        Path errorLog = dir.resolve("error.log");
        try (Gunicorn launcher = Gunicorn.start("-D", "-w", "2", "-b", "127.0.0.1:0", "-p", pidfile.toString(),
                "--error-logfile", errorLog.toString(), "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            assertEquals(0, launcher.awaitExit(Duration.ofSeconds(60)), launcher.output());
            long daemon = Long.parseLong(Gunicorn.read(pidfile).trim());
            launcher.workersOf(daemon); // tracked, so the test cleans up after a failure
            int port = launcher.port();
            assertTrue(Http.getClosing("127.0.0.1", port, "/").ok(), "serving as soon as the command returned");
            assertNotEquals(Procs.session(ProcessHandle.current().pid()), Procs.session(daemon), "a new session");
            assertEquals(daemon, Procs.session(daemon), "the daemon leads its session");
            assertEquals(0, Procs.tty(daemon), "no controlling terminal");
            assertTrue(Procs.cmdline(daemon).startsWith("gunicorn: master"));
            assertEquals(2, launcher.workersOf(daemon).size());

            List<Long> before = launcher.workersOf(daemon);
            Procs.kill("WINCH", daemon);
            launcher.awaitOutput("Stopping the workers gracefully \\(WINCH\\)", Duration.ofSeconds(30));
            Wait.until("the workers to stop", Duration.ofSeconds(30), () -> launcher.workersOf(daemon).isEmpty());
            assertTrue(Procs.alive(daemon), "the master stays");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000); // its socket is still open
            }

            Procs.kill("HUP", daemon);
            Wait.until("workers to come back", Duration.ofSeconds(30), () -> launcher.workersOf(daemon).size() == 2
                    && Http.getClosing("127.0.0.1", port, "/").ok());
            assertTrue(launcher.workersOf(daemon).stream().noneMatch(before::contains));

            Procs.kill("QUIT", daemon);
            Wait.until("the daemon to exit", Duration.ofSeconds(30), () -> !Procs.alive(daemon));
            assertTrue(Files.notExists(pidfile), "pidfile removed");
        }
    }

    @Tag("once") // master logic only: run on JDK 17, not again on 25 (it/pom.xml)
    @Test
    void hupAfterWinchBringsTheWorkersBackEvenWhenTheReloadIsRefused() throws Exception {
        Path dir = Scratch.dir("gunicorn-daemon-hup-");
        Path jar = dir.resolve("hello.jar");
        Files.copy(Gunicorn.HELLO_JAR, jar);
        Path pidfile = dir.resolve("app.pid");
        try (Gunicorn launcher = Gunicorn.start("-D", "-w", "1", "-b", "127.0.0.1:0", "-p", pidfile.toString(),
                "--error-logfile", dir.resolve("error.log").toString(), "-cp", jar.toString(), Gunicorn.HELLO)) {
            assertEquals(0, launcher.awaitExit(Duration.ofSeconds(60)), launcher.output());
            long daemon = Long.parseLong(Gunicorn.read(pidfile).trim());
            Procs.kill("WINCH", daemon);
            Wait.until("the workers to stop", Duration.ofSeconds(30), () -> launcher.workersOf(daemon).isEmpty());
            Files.move(jar, dir.resolve("hello.jar.moved")); // the reload will be refused
            Procs.kill("HUP", daemon);
            launcher.awaitOutput("Reload failed, keeping the running configuration", Duration.ofSeconds(30));
            Files.move(dir.resolve("hello.jar.moved"), jar); // workers of the running configuration need it
            Wait.until("a worker to come back", Duration.ofSeconds(30), () -> launcher.workersOf(daemon).size() == 1
                    && Http.getClosing("127.0.0.1", launcher.port(), "/").ok());
            Procs.kill("QUIT", daemon);
            Wait.until("the daemon to exit", Duration.ofSeconds(30), () -> !Procs.alive(daemon));
        }
    }

    @Test
    void aDaemonThatCannotStartSaysWhyAndTheCommandFails() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
             Gunicorn launcher = Gunicorn.start("-D", "-b", "127.0.0.1:" + taken.getLocalPort(),
                     "-cp", Gunicorn.HELLO_JAR.toString(), Gunicorn.HELLO)) {
            assertEquals(1, launcher.awaitExit(Duration.ofSeconds(60)), launcher.output());
            assertTrue(launcher.output().contains("Error: cannot listen at 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use"), launcher.output());
        }
    }
}
