package dev.gunicornjvm.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real app jar at test time, so that a test can replace the app on disk with a new version
 * of its code, as a deployment would: {@code app.VersionServlet} answers
 * "Hello from worker PID (version N)".
 */
final class AppJar {
    static final String SERVLET = "app.VersionServlet";

    private AppJar() {
    }

    /** Compiles version {@code version} and puts it at {@code jar}, replacing any old one atomically. */
    static void build(Path jar, String version) throws IOException {
        build(jar, version, false);
    }

    /** @param failingInit make the servlet's init() throw, as an app missing a setting would */
    static void build(Path jar, String version, boolean failingInit) throws IOException {
        build(jar, version, failingInit, false);
    }

    /** Compiles version {@code version} and overwrites {@code jar} in place, as some builds do (not atomic). */
    static void overwrite(Path jar, String version) throws IOException {
        build(jar, version, false, true);
    }

    private static void build(Path jar, String version, boolean failingInit, boolean inPlace) throws IOException {
        Path work = Scratch.dir("app-src-");
        Path source = work.resolve("app/VersionServlet.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package app;\n"
                + "public class VersionServlet extends jakarta.servlet.http.HttpServlet {\n"
                + (failingInit ? "  @Override public void init() throws jakarta.servlet.ServletException {\n"
                        + "    throw new jakarta.servlet.ServletException(\"version " + version + " needs DATABASE_URL\");\n"
                        + "  }\n" : "")
                + "  @Override protected void doGet(jakarta.servlet.http.HttpServletRequest q,\n"
                + "      jakarta.servlet.http.HttpServletResponse r) throws java.io.IOException {\n"
                + "    r.setContentType(\"text/plain\");\n"
                + "    r.getWriter().println(\"Hello from worker \" + ProcessHandle.current().pid()"
                + " + \" (version " + version + ")\");\n"
                + "  }\n"
                + "}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-classpath", System.getProperty("java.class.path"),
                "-d", work.toString(), source.toString());
        if (rc != 0) {
            throw new IOException("javac failed for " + source);
        }
        Path tmp = inPlace ? jar : jar.resolveSibling(jar.getFileName() + ".tmp");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
            for (String name : List.of("app/VersionServlet.class")) {
                out.putNextEntry(new JarEntry(name));
                out.write(Files.readAllBytes(work.resolve(name)));
                out.closeEntry();
            }
        }
        if (!inPlace) {
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static String version(Http.Reply reply) {
        int i = reply.body().indexOf("(version ");
        return i < 0 ? "" : reply.body().substring(i + 9, reply.body().indexOf(')', i));
    }
}
