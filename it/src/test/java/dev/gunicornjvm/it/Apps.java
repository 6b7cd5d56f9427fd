package dev.gunicornjvm.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The example apps under examples/, built once by Maven from Maven Central artifacts and shared by
 * every test, and new releases of them made the way a deployment makes them: a copy of the WAR with
 * some entries changed, renamed over the old one.
 */
final class Apps {
    static final Path SPRING_BOOT = Gunicorn.HOME.resolve("examples/spring-boot/target/spring-boot-example.war");
    static final Path JERSEY = Gunicorn.HOME.resolve("examples/jersey/target/jersey-example.war");
    static final Path JAVAX = Gunicorn.HOME.resolve("examples/javax-servlet/target/javax-servlet-example.war");
    /** Where the Spring Boot example reads its settings (app.version, app.fail-on-start). */
    static final String SPRING_PROPERTIES = "WEB-INF/classes/application.properties";

    private Apps() {
    }

    /** A copy of a WAR in a fresh directory, which a test may replace as a deployment would. */
    static Path copy(Path war) throws IOException {
        Path dir = Scratch.dir("gunicorn-war-");
        return Files.copy(war, dir.resolve(war.getFileName()));
    }

    /**
     * A new release of the Spring Boot example: the same WAR with these application properties
     * (e.g. app.version=2), renamed over {@code war} atomically.
     */
    static void springRelease(Path war, String properties) throws IOException {
        replaceEntries(war, Map.of(SPRING_PROPERTIES, properties));
    }

    /** Writes a copy of the WAR with some entries replaced (or added) and renames it over the WAR. */
    static void replaceEntries(Path war, Map<String, String> entries) throws IOException {
        Path next = war.resolveSibling(war.getFileName() + ".next");
        try (ZipFile in = new ZipFile(war.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(next))) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                if (entries.containsKey(entry.getName())) {
                    continue;
                }
                // The WAR's jars are stored uncompressed (Boot's layout); deflating them again is fine.
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        Files.move(next, war, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Unpacks a WAR into a webapp directory, as an exploded deployment would have it. */
    static Path explode(Path war, Path dir) throws IOException {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                Path file = dir.resolve(entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (InputStream data = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(file)) {
                    data.transferTo(out);
                }
            }
        }
        return dir;
    }

    /** A jar holding only the given entries (e.g. META-INF/web-fragment.xml). */
    static void jar(Path file, Map<String, String> entries) throws IOException {
        Files.createDirectories(file.getParent());
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }
}
