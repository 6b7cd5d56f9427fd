package dev.gunicornjvm.master.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Tells whether a webapp is written against {@code javax.servlet} (Java EE 8 and older, Jetty's ee8)
 * or {@code jakarta.servlet}, from evidence that costs no class loading, cheapest first, until some
 * evidence is found: its own classes' constant pools (a class using the API names it there), the
 * Servlet container initializers its jars register (how Spring and Jersey start), the namespace of its
 * web.xml, and last the classes of its jars.
 */
public final class ServletApiDetector {
    /** What the webapp was found to use. */
    public enum Api { JAKARTA, JAVAX, UNKNOWN }

    private static final byte[] JAVAX = "javax/servlet/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JAKARTA = "jakarta/servlet/".getBytes(StandardCharsets.US_ASCII);
    private static final String JAVAX_INITIALIZERS = "META-INF/services/javax.servlet.ServletContainerInitializer";
    private static final String JAKARTA_INITIALIZERS = "META-INF/services/jakarta.servlet.ServletContainerInitializer";

    private boolean javax;
    private boolean jakarta;

    private ServletApiDetector() {
    }

    /** @param webapp an exploded webapp directory */
    public static Api detect(Path webapp) throws IOException {
        ServletApiDetector d = new ServletApiDetector();
        List<Path> jars = jars(webapp.resolve("WEB-INF/lib"));
        d.scanClasses(webapp.resolve("WEB-INF/classes"));
        for (Path jar : jars) {
            d.scanJar(jar, false);
        }
        d.scanDescriptor(webapp.resolve("WEB-INF/web.xml"));
        for (Path jar : jars) {
            d.scanJar(jar, true);
        }
        if (d.javax && !d.jakarta) {
            return Api.JAVAX;
        }
        return d.jakarta ? Api.JAKARTA : Api.UNKNOWN;
    }

    private boolean found() {
        return javax || jakarta;
    }

    private static List<Path> jars(Path lib) throws IOException {
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private void scanClasses(Path classes) throws IOException {
        if (!Files.isDirectory(classes)) {
            return;
        }
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                note(Files.readAllBytes(file));
            }
        }
    }

    /** Its initializers, or with {@code classes} its classes, unless evidence was found already. */
    private void scanJar(Path jar, boolean classes) throws IOException {
        if (found()) {
            return;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (!classes) {
                javax |= zip.getEntry(JAVAX_INITIALIZERS) != null;
                jakarta |= zip.getEntry(JAKARTA_INITIALIZERS) != null;
                return;
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements() && !found()) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        note(in.readAllBytes());
                    }
                }
            }
        } catch (IOException e) {
            throw new IOException("WEB-INF/lib/" + jar.getFileName() + " is not a readable jar: " + e.getMessage(), e);
        }
    }

    private void scanDescriptor(Path webXml) throws IOException {
        if (found() || !Files.isRegularFile(webXml)) {
            return;
        }
        String xml = Files.readString(webXml, StandardCharsets.UTF_8);
        jakarta |= xml.contains("https://jakarta.ee/xml/ns/jakartaee");
        javax |= xml.contains("http://xmlns.jcp.org/xml/ns/javaee") || xml.contains("http://java.sun.com/xml/ns/");
    }

    private void note(byte[] classFile) {
        javax |= contains(classFile, JAVAX);
        jakarta |= contains(classFile, JAKARTA);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
