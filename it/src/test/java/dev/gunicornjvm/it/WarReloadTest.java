package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Shipping new releases of the Spring Boot WAR under continuous load (keep-alive and new
 * connections): a HUP to a new release, a WAR overwritten in place under running workers, broken
 * releases refused on HUP with the old one serving, and a USR2 upgrade; no request fails.
 */
@Tag("signals")
class WarReloadTest {
    private static final String HELLO = "/hello";
    /**
     * One worker per generation: the handover is the same as with several, and on 2 cores each Spring
     * worker's boot under load is most of this class's time. No class-data sharing: each release is a new
     * build, whose training run (a third Spring boot, ClassDataSharingTest's subject) would compete with them.
     */
    private static final int WORKERS = 1;

    @Test
    void hupServesANewReleaseAndRefusesBrokenOnesWithoutAFailedRequest() throws Exception {
        Path war = Apps.copy(Apps.SPRING_BOOT);
        try (Gunicorn g = Gunicorn.app(war, WORKERS, "--threads", "4", "--worker-cds", "off")) {
            List<Long> first = g.awaitServingWorkers(WORKERS, HELLO);
            try (Load load = Load.start(g, 4, HELLO)) {
                Apps.springRelease(war, "app.version=2\n");
                g.signal("HUP");
                g.awaitOutput("Generation 2 is serving; generation 1 retired", Gunicorn.BOOT);
                Wait.until("generation 1 to exit", Gunicorn.BOOT, () -> first.stream().noneMatch(Procs::alive));
                load.awaitMore(100);
                assertEquals("2", AppJar.version(Http.request(g.port(), HELLO)), "the new release serves");
                Path generation1 = runtimeDirectory(g).resolve("generation-1");
                // Once its workers, and a class-data sharing training run that deploys it, are gone.
                Wait.until("generation 1's unpacked WAR to be removed", Gunicorn.BOOT, () -> !Files.exists(generation1));

                // A release whose initializer throws: its workers cannot boot, generation 2 keeps serving.
                Apps.springRelease(war, "app.version=3\napp.fail-on-start=true\n");
                g.signal("HUP");
                g.awaitOutput("Reload failed, generation 2 keeps serving: generation 3 cannot boot: .*app\\.fail-on-start is set",
                        Gunicorn.BOOT);
                load.awaitMore(100);

                // A botched copy, written over the WAR in place: refused before any worker starts, and
                // the running workers, which read their own unpacked copy, do not notice.
                Files.write(war, new byte[] {'P', 'K', 3, 4, 'n', 'o', 't', ' ', 'a', ' ', 'z', 'i', 'p'});
                g.signal("HUP");
                g.awaitOutput("Reload failed, keeping the running configuration: cannot read .*spring-boot-example\\.war",
                        Gunicorn.BOOT);
                load.awaitMore(100);
                load.close();
                assertEquals(List.of(), load.failures(), load.ok() + " succeeded");
                assertEquals(java.util.Set.of("1", "2"), java.util.Set.copyOf(load.versionByWorker().values()),
                        "the refused release 3 never answered: " + load.versionByWorker());
            }
            assertTrue(g.output().lines().noneMatch(l -> l.contains("Shutting down")), g.output());
            g.awaitServingWorkers(WORKERS, HELLO); // generation 3's workers are gone
            for (int i = 0; i < 10; i++) {
                assertEquals("2", AppJar.version(Http.request(g.port(), HELLO)), "release 2 serves on");
            }
        }
    }

    @Test
    void usr2UpgradeLosesNoRequestAndTheNewMasterServesTheNewRelease() throws Exception {
        Path war = Apps.copy(Apps.SPRING_BOOT);
        try (Gunicorn g = Gunicorn.app(war, WORKERS, "--threads", "4", "--worker-cds", "off")) {
            g.awaitServingWorkers(WORKERS, HELLO);
            try (Load load = Load.start(g, 4, HELLO)) {
                Apps.springRelease(war, "app.version=2\n");
                g.signal("USR2");
                long fresh = Long.parseLong(g.awaitOutput("started a new master \\(pid: (\\d+)\\)", Gunicorn.BOOT).group(1));
                g.awaitServingWorkersOf(fresh, WORKERS, HELLO);
                g.signal("WINCH");
                Wait.until("the old master's workers to stop", Gunicorn.BOOT, () -> g.workers().isEmpty());
                g.signal("QUIT");
                assertEquals(0, g.awaitExit(Gunicorn.BOOT), g.output());
                load.awaitMore(100);
                load.close();
                assertEquals(List.of(), load.failures(), load.ok() + " succeeded");
            }
            assertEquals("2", AppJar.version(Http.request(g.port(), HELLO)));
        }
    }

    /** The master's private runtime directory ($TMPDIR/gunicorn-jvm-PID-*). */
    static Path runtimeDirectory(Gunicorn g) throws java.io.IOException {
        try (var dirs = Files.newDirectoryStream(g.tmpdir(), "gunicorn-jvm-" + g.pid() + "-*")) {
            return dirs.iterator().next();
        }
    }
}
