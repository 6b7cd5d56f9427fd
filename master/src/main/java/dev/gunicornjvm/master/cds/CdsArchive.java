package dev.gunicornjvm.master.cds;

import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.master.app.PrivateDirectory;
import dev.gunicornjvm.master.config.WorkerJava;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The class-data sharing archive that fits one generation of workers: same JDK (the workers' java,
 * --worker-java), same JVM options, same jars (names, sizes and modification times). A change to any of
 * them names another file, so a worker never maps an archive made for other classes; the JVM checks the
 * jars again itself. On JDK 25 and later it is the JDK's AOT cache ({@code -XX:AOTCache}), which also
 * holds linked classes and method profiles; before, a dynamic CDS archive ({@code -XX:SharedArchiveFile}).
 *
 * <p>Files are named {@code APP-FAMILY-FINGERPRINT.jsa} (or {@code .aot}): the family (JDK, app and
 * classpath names) lets a new archive replace the ones made for earlier versions of the same jars, while
 * other apps sharing the directory keep theirs.
 *
 * @param file   the archive; it exists once a training run has made it
 * @param family the prefix shared by archives of earlier builds of the same app
 */
public record CdsArchive(Path file, String family) {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    private static final String CDS_EXTENSION = ".jsa";
    private static final String AOT_EXTENSION = ".aot";
    /** JVM options with which a user manages class-data sharing himself; then we stay out of it. */
    private static final List<String> USER_CDS_OPTIONS = List.of(
            "-Xshare:off", "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit", "-XX:AOTCache", "-XX:AOTMode",
            "-XX:AOTConfiguration");
    /**
     * Heap sizing, which an archive of classes does not depend on (one made with -Xmx256m maps with 8m
     * and 16g alike): the default -Xmx follows -w, and a TTIN-free change of -w must not retrain.
     */
    private static final List<String> HEAP_SIZE_OPTIONS = List.of(
            "-Xmx", "-Xms", "-XX:MaxHeapSize=", "-XX:InitialHeapSize=", "-XX:MinHeapFreeRatio=", "-XX:MaxHeapFreeRatio=");

    /**
     * The archive for workers started with these JVM options and class paths, or empty when sharing is
     * off: no directory (--worker-cds off), or the options already say what to share. Also empty, with
     * one error line, when the directory is not the master's own (see {@link PrivateDirectory#requireSafe}):
     * whoever else made it could have planted an archive, which is code every worker would run.
     */
    public static Optional<CdsArchive> of(Path directory, String app, WorkerJava java, List<String> jvmOptions,
                                          List<Path> serverClasspath, List<Path> appClasspath) {
        if (directory == null || jvmOptions.stream().anyMatch(o -> USER_CDS_OPTIONS.stream().anyMatch(o::startsWith))) {
            return Optional.empty();
        }
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) { // a missing one is made by the training run
            try {
                PrivateDirectory.requireSafe(directory, Posix.get().uid());
            } catch (IOException e) {
                LOG.error("Workers start without a class-data sharing archive: {}", e.getMessage());
                return Optional.empty();
            }
        }
        // The JVM requires the server's jars at the paths they had in the training run. The app's jars,
        // read by the app's own class loader, count by name only: a --preload snapshot of the same jars
        // lives in another directory at every start, and the JVM checks each app class's bytes anyway.
        // The JVM options are part of the family: two masters of one app with other options keep an
        // archive each, instead of removing each other's as an older build's.
        List<String> options = jvmOptions.stream().filter(o -> HEAP_SIZE_OPTIONS.stream().noneMatch(o::startsWith)).toList();
        Digest family = new Digest().add(java.home().toString()).add(app);
        serverClasspath.forEach(p -> family.add(p.toString()));
        appClasspath.forEach(p -> family.add(p.getFileName().toString()));
        options.forEach(family::add);
        Digest fingerprint = new Digest().add(java.runtimeVersion());
        fingerprint.addFile(java.home().resolve("lib/server/libjvm.so"), "libjvm.so"); // a JDK updated in place
        options.forEach(fingerprint::add);
        serverClasspath.forEach(p -> fingerprint.addFile(p, p.toString()));
        appClasspath.forEach(p -> fingerprint.addFile(p, p.getFileName().toString()));
        String simpleName = app.substring(app.lastIndexOf('.') + 1).replaceAll("[^A-Za-z0-9_-]", "_");
        String familyName = simpleName + "-" + family.hex(8);
        String extension = java.aotCache() ? AOT_EXTENSION : CDS_EXTENSION;
        return Optional.of(new CdsArchive(directory.resolve(familyName + "-" + fingerprint.hex(12) + extension),
                familyName));
    }

    /** The file name ending of archives like this one (the JDK's AOT cache, or a dynamic CDS archive). */
    public String extension() {
        String name = file.getFileName().toString();
        return name.endsWith(AOT_EXTENSION) ? AOT_EXTENSION : CDS_EXTENSION;
    }

    /** True for the JDK's AOT cache (JDK 25 and later), false for a dynamic CDS archive. */
    public boolean aotCache() {
        return extension().equals(AOT_EXTENSION);
    }

    public boolean exists() {
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** SHA-256 over strings and file identities (name, size, modification time). */
    private static final class Digest {
        private final MessageDigest sha;

        Digest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        Digest add(String text) {
            sha.update(text.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return this;
        }

        void addFile(Path path, String name) {
            add(name);
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                add(a.size() + "/" + a.lastModifiedTime().toMillis());
            } catch (IOException e) {
                add("missing"); // the worker will say what is wrong with it
            }
        }

        String hex(int bytes) {
            return HexFormat.of().formatHex(sha.digest(), 0, bytes);
        }
    }
}
