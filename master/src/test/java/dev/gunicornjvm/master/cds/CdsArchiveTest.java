package dev.gunicornjvm.master.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import dev.gunicornjvm.master.config.WorkerJava;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdsArchiveTest {
    @TempDir
    Path dir;

    @Test
    void anotherBuildOfTheAppGetsAnotherArchiveOfTheSameFamily() throws IOException {
        Path server = jar("server.jar", 1000);
        Path app = jar("app.jar", 1000);
        CdsArchive before = archive(List.of("-Xmx64m"), server, app);
        assertEquals(before, archive(List.of("-Xmx64m"), server, app), "the same jars, the same archive");
        Files.setLastModifiedTime(app, FileTime.fromMillis(2000_000));
        CdsArchive after = archive(List.of("-Xmx64m"), server, app);
        assertNotEquals(before.file(), after.file());
        assertEquals(before.family(), after.family());
        assertTrue(after.file().getFileName().toString().startsWith("HelloServlet-"), after.file().toString());
        assertEquals(after.file(), archive(List.of("-Xmx128m"), server, app).file(), "the heap size does not matter");
        CdsArchive otherOptions = archive(List.of("-Xmx64m", "-XX:+UseG1GC"), server, app);
        assertNotEquals(after.file(), otherOptions.file(), "other JVM options");
        assertNotEquals(after.family(), otherOptions.family(), "another family: neither removes the other's archive");
    }

    @Test
    void aCopyOfTheAppElsewhereUsesTheSameArchive() throws IOException {
        Path server = jar("server.jar", 1000);
        Path app = jar("app.jar", 1000);
        Path copy = Files.createDirectories(dir.resolve("snapshot")).resolve("app.jar");
        Files.copy(app, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        assertEquals(archive(List.of(), server, app), archive(List.of(), server, copy));
    }

    @Test
    void offWithoutADirectoryOrWhenTheOptionsManageSharing() throws IOException {
        Path jar = jar("app.jar", 1000);
        assertTrue(CdsArchive.of(null, "a.B", WorkerJava.current(), List.of(), List.of(jar), List.of(jar)).isEmpty());
        for (String option : List.of("-Xshare:off", "-XX:SharedArchiveFile=/x.jsa", "-XX:AOTCache=/x.aot")) {
            assertTrue(CdsArchive.of(dir, "a.B", WorkerJava.current(), List.of(option), List.of(jar), List.of(jar)).isEmpty(), option);
        }
    }

    @Test
    void aDirectoryOthersMayWriteOrALinkGetsNoArchive() throws IOException {
        Path jar = jar("app.jar", 1000);
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(CdsArchive.of(open, "a.B", WorkerJava.current(), List.of(), List.of(jar), List.of(jar)).isEmpty(), "world-writable");
        Path link = Files.createSymbolicLink(dir.resolve("link"), open);
        assertTrue(CdsArchive.of(link, "a.B", WorkerJava.current(), List.of(), List.of(jar), List.of(jar)).isEmpty(), "a symlink");
        assertTrue(CdsArchive.of(dir.resolve("missing"), "a.B", WorkerJava.current(), List.of(), List.of(jar), List.of(jar)).isPresent(),
                "a missing one is made, safely, by the training run");
    }

    @Test
    void aLinkInPlaceOfTheArchiveIsNoArchive() throws IOException {
        Path jar = jar("app.jar", 1000);
        CdsArchive archive = CdsArchive.of(dir, "a.B", WorkerJava.current(), List.of(), List.of(jar), List.of(jar)).orElseThrow();
        Files.createSymbolicLink(archive.file(), jar);
        assertTrue(!archive.exists());
    }

    private CdsArchive archive(List<String> options, Path server, Path app) {
        return CdsArchive.of(dir, "example.HelloServlet", WorkerJava.current(), options, List.of(server), List.of(app)).orElseThrow();
    }

    private Path jar(String name, long modifiedSeconds) throws IOException {
        Path jar = Files.write(dir.resolve(name), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(jar, FileTime.fromMillis(modifiedSeconds * 1000));
        return jar;
    }
}
