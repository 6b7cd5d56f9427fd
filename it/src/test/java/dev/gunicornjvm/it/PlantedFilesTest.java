package dev.gunicornjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A master, often root, whose pidfile, control directory or class-data sharing directory sits where
 * someone else could get there first: what they planted is refused or replaced, never used or followed.
 */
class PlantedFilesTest {
    @Test
    void aSymlinkPlantedAtThePidfileIsReplacedAndTheFileItPointsToIsUntouched() throws Exception {
        Path dir = Scratch.dir("gunicorn-planted-");
        try {
            Path precious = Files.writeString(dir.resolve("precious"), "do not truncate me\n");
            Path pidfile = Files.createSymbolicLink(dir.resolve("app.pid"), precious);
            try (Gunicorn g = Gunicorn.hello(1, "-p", pidfile.toString())) {
                g.awaitServingWorkers(1);
                assertEquals("do not truncate me\n", Files.readString(precious));
                assertTrue(Files.isRegularFile(pidfile, LinkOption.NOFOLLOW_LINKS), "the link itself was replaced");
                assertEquals(g.pid() + "\n", Files.readString(pidfile));
                assertEquals(List.of("app.pid", "app.pid.ctl", "precious"), names(dir), "no temporary file left");

                g.signal("QUIT");
                assertEquals(0, g.awaitExit(Gunicorn.BOOT));
                assertFalse(Files.exists(pidfile, LinkOption.NOFOLLOW_LINKS), "removed at exit");
                assertEquals("do not truncate me\n", Files.readString(precious));
            }
        } finally {
            Root.deleteTree(dir);
        }
    }

    @Test
    void aControlDirectoryMadeByAnotherUidIsRefusedAndTheMasterServesOn() throws Exception {
        Root.assume();
        Path dir = Scratch.dir("gunicorn-planted-");
        try {
            Path control = Files.createDirectory(dir.resolve("ctl"));
            Files.setAttribute(control, "unix:uid", Root.STRANGER);
            Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rwxrwxrwx"));
            try (Gunicorn g = Gunicorn.hello(1, "--control-dir", control.toString())) {
                g.awaitServingWorkers(1);
                g.awaitOutput(Pattern.quote("[ERROR] No control socket (gunictl will only send signals): cannot listen in "
                        + control + ": " + control + " belongs to uid " + Root.STRANGER
                        + ", not to uid 0 that the master runs as (remove it, or chown 0 " + control + ")"), Gunicorn.BOOT);
                assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(control)), "not adopted");
                assertEquals(Root.STRANGER, Root.uid(control));
                assertEquals(List.of(), names(control), "no socket in it");
                assertTrue(Http.getClosing("127.0.0.1", g.port(), "/").ok(), "the master serves on");
                g.signal("TTIN"); // and is still run with signals
                g.awaitServingWorkers(2);
            }
        } finally {
            Root.deleteTree(dir);
        }
    }

    @Test
    void aClassDataSharingDirectoryOfAnotherUidIsRefusedAndWorkersServeWithoutAnArchive() throws Exception {
        Root.assume();
        Path dir = Scratch.dir("gunicorn-planted-");
        try {
            Path cds = Files.createDirectory(dir.resolve("cds"));
            Files.setAttribute(cds, "unix:uid", Root.STRANGER);
            try (Gunicorn g = Gunicorn.hello(1, "--worker-cds", cds.toString())) {
                g.awaitServingWorkers(1);
                g.awaitOutput(Pattern.quote("[ERROR] Workers start without a class-data sharing archive: " + cds
                        + " belongs to uid " + Root.STRANGER + ", not to uid 0 that the master runs as (remove it, or chown 0 "
                        + cds + ")"), Gunicorn.BOOT);
                g.signal("TTIN"); // a worker spawned once the generation serves, when training would have started
                g.awaitServingWorkers(2);
                assertFalse(g.output().contains("Making the workers' class-data sharing archive"), g.output());
                assertEquals(List.of(), names(cds), "nothing written there");
                assertEquals(1, count(g.output(), "Workers start without a class-data sharing archive"), g.output());
            }
        } finally {
            Root.deleteTree(dir);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }
}
