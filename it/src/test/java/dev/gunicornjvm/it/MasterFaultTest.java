package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** kill -9 of a master in the middle of a reload or an upgrade: no orphans, and a restart works. */
@Tag("signals")
class MasterFaultTest {
    @Test
    void kill9DuringAReloadLeavesNoWorkerAndARestartWorks() throws Exception {
        Path dir = Scratch.dir("gunicorn-fault-hup-");
        Path pidfile = dir.resolve("app.pid");
        Set<Long> workers = new HashSet<>();
        try (Gunicorn g = start(pidfile)) {
            workers.addAll(g.awaitServingWorkers(2));
            g.signal("HUP");
            Wait.until("the new generation to be booting", Duration.ofSeconds(30), () -> {
                workers.addAll(g.workers());
                return workers.size() >= 3;
            });
            Procs.kill("KILL", g.pid());
            g.awaitExit(Duration.ofSeconds(10));
            Wait.until("every worker, old and new, to exit", Duration.ofSeconds(30),
                    () -> workers.stream().noneMatch(Procs::alive));
        }
        assertTrue(Files.exists(pidfile), "a stale pidfile is left behind");
        assertTrue(Files.exists(Path.of(pidfile + ".ctl")), "and the control directory");
        try (Gunicorn again = start(pidfile)) {
            again.awaitServingWorkers(2);
            assertEquals(Long.toString(again.pid()), Gunicorn.read(pidfile).trim());
        }
    }

    @Test
    void kill9OfTheOldMasterDuringAnUpgradeLeavesItsWorkersNoRoomAndTheNewMasterServes() throws Exception {
        Path dir = Scratch.dir("gunicorn-fault-usr2-");
        Path pidfile = dir.resolve("app.pid");
        // A long keep-alive, so that a connection opened now stays with an old worker through the upgrade.
        try (Gunicorn g = start(pidfile, "--keep-alive", "300");
             Socket onOldWorker = new Socket()) {
            List<Long> oldWorkers = g.awaitServingWorkers(2);
            onOldWorker.connect(new InetSocketAddress("127.0.0.1", g.port()), 5000); // only old workers accept
            g.signal("USR2");
            long fresh = Long.parseLong(g.awaitOutput("started a new master \\(pid: (\\d+)\\)", Duration.ofSeconds(60))
                    .group(1));
            // Accepting, not only running: the request below must not depend on how fast they boot.
            g.awaitServingWorkersOf(fresh, 2, "/");

            // A request in flight on an old worker when its master dies...
            String before = g.output();
            onOldWorker.setSoTimeout(60_000);
            onOldWorker.getOutputStream().write("GET /?sleep=2 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            long sleeper = Long.parseLong(Wait.forValue("the slow request to be in flight", Duration.ofSeconds(30), () -> {
                Matcher m = IN_FLIGHT.matcher(g.output().substring(before.length()));
                return m.find() ? m.group(1) : null;
            }));
            assertTrue(oldWorkers.contains(sleeper), "the kept-alive connection is an old worker's: " + sleeper);
            Procs.kill("KILL", g.pid());
            g.awaitExit(Duration.ofSeconds(10));

            // ...finishes: the worker stops accepting and drains, it does not cut what it took.
            String response = new String(onOldWorker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200 "), "the request in flight finished:\n" + response);
            Wait.until("the old master's workers to exit", Duration.ofSeconds(30),
                    () -> oldWorkers.stream().noneMatch(Procs::alive));
            assertTrue(Procs.alive(fresh), "the new master lives on");
            assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok(), "and serves");
            assertEquals(Long.toString(fresh), Gunicorn.read(pidfile).trim());
            Procs.kill("QUIT", fresh);
            Wait.until("the new master to exit", Duration.ofSeconds(60), () -> !Procs.alive(fresh));
        }
        try (Gunicorn again = start(pidfile)) {
            again.awaitServingWorkers(2); // the stale .oldbin and control sockets do not stop a restart
        }
    }

    private static final Pattern IN_FLIGHT = Pattern.compile("hello: request sleeping 2 s in worker (\\d+)");

    private static Gunicorn start(Path pidfile, String... extra) throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of("-w", "2", "-b", "127.0.0.1:0", "-p", pidfile.toString(),
                "-cp", Gunicorn.HELLO_JAR.toString()));
        args.addAll(List.of(extra));
        args.add(Gunicorn.HELLO);
        return Gunicorn.start(args.toArray(new String[0]));
    }
}
