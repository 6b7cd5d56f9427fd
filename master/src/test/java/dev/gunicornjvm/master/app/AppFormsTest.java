package dev.gunicornjvm.master.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** APP recognised from its value, javax told from jakarta, and a WAR unpacked safely. */
class AppFormsTest {
    @TempDir
    Path dir;

    @Test
    void appIsAWarAWebappDirectoryOrAClassName() throws IOException {
        Files.createDirectories(dir.resolve("site/WEB-INF"));
        Files.createDirectories(dir.resolve("plain"));
        assertEquals(new AppSource.War(dir.resolve("app.war")), AppSource.of("app.war", dir), "need not exist yet");
        assertEquals(new AppSource.War(dir.resolve("APP.WAR")), AppSource.of("APP.WAR", dir));
        assertEquals(new AppSource.WebappDirectory(dir.resolve("site")), AppSource.of("site", dir));
        assertEquals(new AppSource.WebappDirectory(dir.resolve("site")), AppSource.of("./site/", dir));
        assertEquals(new AppSource.ServletClass("com.example.App"), AppSource.of("com.example.App", dir));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AppSource.of("plain", dir)).getMessage()
                .contains("is a directory without WEB-INF/"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AppSource.of("no/such", dir)).getMessage()
                .contains("is neither a .war file, nor a directory, nor a class name"));
        assertEquals("app", new AppSource.War(dir.resolve("app.war")).shortName());
        assertEquals("App", new AppSource.ServletClass("com.example.App").shortName());
    }

    @Test
    void classesThatUseJavaxServletMakeAJavaxApp() throws IOException {
        Path webapp = webapp();
        write(webapp.resolve("WEB-INF/classes/a/Hello.class"), "....javax/servlet/http/HttpServlet....");
        assertEquals(ServletApiDetector.Api.JAVAX, ServletApiDetector.detect(webapp));
        write(webapp.resolve("WEB-INF/classes/a/Other.class"), "....jakarta/servlet/Filter....");
        assertEquals(ServletApiDetector.Api.JAKARTA, ServletApiDetector.detect(webapp), "jakarta wins a mix");
    }

    @Test
    void aLibrarysInitializerTellsWhenTheAppsOwnClassesDoNot() throws IOException {
        Path webapp = webapp();
        write(webapp.resolve("WEB-INF/classes/a/App.class"), "extends org/springframework/boot/Initializer");
        jar(webapp.resolve("WEB-INF/lib/spring-web.jar"), Map.of(
                "META-INF/services/javax.servlet.ServletContainerInitializer", "org.springframework.web.Init\n"));
        assertEquals(ServletApiDetector.Api.JAVAX, ServletApiDetector.detect(webapp));
    }

    @Test
    void webXmlDecidesWhenNothingElseDoesAndNothingAtAllIsUnknown() throws IOException {
        Path webapp = webapp();
        assertEquals(ServletApiDetector.Api.UNKNOWN, ServletApiDetector.detect(webapp));
        write(webapp.resolve("WEB-INF/web.xml"), "<web-app xmlns=\"http://xmlns.jcp.org/xml/ns/javaee\" version=\"4.0\"/>");
        assertEquals(ServletApiDetector.Api.JAVAX, ServletApiDetector.detect(webapp));
        write(webapp.resolve("WEB-INF/web.xml"), "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.1\"/>");
        assertEquals(ServletApiDetector.Api.JAKARTA, ServletApiDetector.detect(webapp));
    }

    @Test
    void aWarIsUnpackedWithItsEntryTimes() throws IOException {
        Path war = dir.resolve("app.war");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war))) {
            ZipEntry entry = new ZipEntry("static/a.txt");
            entry.setTime(1_700_000_000_000L);
            out.putNextEntry(entry);
            out.write("a".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Path target = dir.resolve("unpacked");
        AppStager.unpack(war, target);
        assertEquals("a", Files.readString(target.resolve("static/a.txt")));
        assertEquals(FileTime.fromMillis(1_700_000_000_000L), Files.getLastModifiedTime(target.resolve("static/a.txt")));
    }

    @Test
    void aWarEntryThatWouldLandOutsideTheWebappIsRefused() throws IOException {
        Path war = dir.resolve("evil.war");
        jar(war, Map.of("../../escaped.txt", "x"));
        IOException e = assertThrows(IOException.class, () -> AppStager.unpack(war, dir.resolve("a/b/unpacked")));
        assertTrue(e.getMessage().contains("entry ../../escaped.txt would land outside the webapp"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("escaped.txt")));
    }

    private Path webapp() throws IOException {
        return Files.createDirectories(dir.resolve("webapp/WEB-INF")).getParent();
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static void jar(Path file, Map<String, String> entries) throws IOException {
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
