package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * --worker-cds: the master trains the workers' class-data sharing archive in the background once a
 * generation serves, and every worker spawned afterwards maps it.
 */
@Tag("signals")
class ClassDataSharingTest {
    private static final String MADE = "Workers now start with the class-data sharing archive (\\S+) \\(made in \\d+ ms\\)";

    @Test
    void theArchiveIsMadeOnceAndMappedByLaterWorkers() throws Exception {
        Path dir = Scratch.dir("gunicorn-cds-").resolve("archives");
        try (Gunicorn g = Gunicorn.hello(2, "--log-level", "debug", "--worker-cds", dir.toString())) {
            List<Long> first = g.awaitServingWorkers(2);
            Matcher made = g.awaitOutput(MADE, Gunicorn.BOOT);
            Path archive = Path.of(made.group(1));
            assertEquals(dir, archive.getParent());
            assertEquals(List.of(archive), files(dir), "only the archive, no partial file");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            Wait.until("the training run to be gone", Duration.ofSeconds(30), () -> Procs.children(g.pid()).stream()
                    .noneMatch(p -> Procs.cmdline(p).startsWith("gunicorn: cds-training")));
            for (long worker : first) {
                assertFalse(maps(worker).contains(archive.toString()), "started before the archive existed");
            }

            g.signal("TTIN"); // a worker spawned now maps it
            List<Long> three = g.awaitServingWorkers(3);
            long added = three.stream().filter(p -> !first.contains(p)).findFirst().orElseThrow();
            assertTrue(maps(added).contains(archive.toString()), "worker " + added + " maps " + archive);

            g.signal("HUP"); // so does the next generation, and nothing is trained again
            g.awaitOutput("Generation 2 is serving", Gunicorn.BOOT);
            for (long worker : g.awaitServingWorkers(3)) {
                assertTrue(maps(worker).contains(archive.toString()), "worker " + worker + " maps " + archive);
            }
            assertEquals(1, count(g.output(), "Making the workers' class-data sharing archive"), g.output());
        }
    }

    /** A WAR's archive is trained against its warm-up path, through the app's own request path. */
    @Test
    void aWarsArchiveIsTrainedAgainstItsWarmupPathAndMappedByLaterWorkers() throws Exception {
        Path dir = Scratch.dir("gunicorn-cds-war-").resolve("archives");
        try (Gunicorn g = Gunicorn.app(Apps.SPRING_BOOT, 1, "--worker-cds", dir.toString(),
                "--warmup-path", "/static.txt?warm-up", "--access-logfile", "-")) {
            List<Long> first = g.awaitServingWorkers(1, "/hello");
            Path archive = Path.of(g.awaitOutput(MADE, Gunicorn.BOOT).group(1));
            assertTrue(archive.getFileName().toString().startsWith("spring-boot-example-"), archive.toString());
            assertTrue(g.output().contains("\"GET /static.txt?warm-up HTTP/1.1\" 200 41 "),
                    "the training run asked the warm-up path of the app:\n" + g.output());
            g.signal("TTIN");
            long added = g.awaitServingWorkers(2, "/hello").stream().filter(p -> !first.contains(p)).findFirst().orElseThrow();
            assertTrue(maps(added).contains(archive.toString()), "worker " + added + " maps " + archive);
        }
    }

    /**
     * Workers on JDK 25 (--worker-java, whatever the master runs on) start from the JDK's AOT cache,
     * which the training run makes; neither it nor any worker puts a warning in the error log.
     */
    @Test
    void jdk25WorkersMakeAndMapTheAotCacheWithoutWarnings() throws Exception {
        Path jdk25 = Path.of(System.getProperty("jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(jdk25), "needs a JDK 25 at " + jdk25);
        Path dir = Scratch.dir("gunicorn-aot-").resolve("archives");
        Path errorLog = Scratch.dir("gunicorn-aot-log-").resolve("error.log");
        try (Gunicorn g = Gunicorn.hello(1, "--worker-java", jdk25.toString(), "--worker-cds", dir.toString(),
                "--error-logfile", errorLog.toString())) {
            List<Long> first = g.awaitServingWorkers(1);
            assertEquals(jdk25.toRealPath(), Path.of("/proc", first.get(0).toString(), "exe").toRealPath());
            Path archive = Path.of(g.awaitOutput(MADE, Duration.ofSeconds(120)).group(1));
            assertTrue(archive.getFileName().toString().endsWith(".aot"), archive.toString());
            assertEquals(List.of(archive), files(dir), "only the cache, no partial file nor the run's output");
            g.signal("TTIN");
            long added = g.awaitServingWorkers(2).stream().filter(p -> !first.contains(p)).findFirst().orElseThrow();
            assertTrue(maps(added).contains(archive.toString()), "worker " + added + " maps " + archive);
            assertEquals(200, Http.getClosing("127.0.0.1", g.port(), "/").status());
            String output = g.output();
            assertFalse(output.toLowerCase(java.util.Locale.ROOT).contains("warning"), output);
            assertFalse(output.contains("JAVA_TOOL_OPTIONS") || output.contains("AOTCache"), output);
        }
    }

    @Test
    void offMeansNoTrainingRun() throws Exception {
        try (Gunicorn g = Gunicorn.hello(1, "--worker-cds", "off")) {
            g.awaitServingWorkers(1);
            g.signal("HUP"); // once generation 2 serves, generation 1 was past the point where training starts
            g.awaitOutput("Generation 2 is serving", Gunicorn.BOOT);
            g.awaitServingWorkers(1);
            assertFalse(g.output().contains("class-data sharing archive"), g.output());
        }
    }

    @Test
    void aDirectoryOthersMayWriteIsRefusedAndWorkersServeWithoutAnArchive() throws Exception {
        Path dir = Scratch.dir("gunicorn-cds-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (Gunicorn g = Gunicorn.hello(1, "--worker-cds", dir.toString())) {
            g.awaitServingWorkers(1);
            g.awaitOutput(java.util.regex.Pattern.quote("[ERROR] Workers start without a class-data sharing archive: "
                    + dir + " may be written by others (make it private: chmod go-w " + dir + ")"), Gunicorn.BOOT);
            assertEquals(List.of(), files(dir));
            assertEquals(200, Http.getClosing("127.0.0.1", g.port(), "/").status());
        }
    }

    private static String maps(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "maps"));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
