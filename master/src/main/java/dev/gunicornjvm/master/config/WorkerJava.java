package dev.gunicornjvm.master.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The java executable workers run on (--worker-java), and what the master must know of it: its JDK's
 * feature version picks the JDK-specific worker options (native access, the AOT cache of JDK 25 or the
 * dynamic class-data sharing archive of older JDKs), its home and build name which archives fit it.
 *
 * @param executable     the java program, as given (absolute)
 * @param home           its JDK's home directory
 * @param feature        the JDK's feature version (17, 21, 25, ...)
 * @param runtimeVersion the JDK's full version, e.g. 25.0.3+9-LTS (for archive fingerprints)
 */
public record WorkerJava(Path executable, Path home, int feature, String runtimeVersion) {
    /** The oldest JDK a worker runs on. */
    static final int MINIMUM_FEATURE = 17;

    /** The JDK's version, e.g. 17.0.15+6: what decides which JVM options exist. */
    public Runtime.Version version() {
        try {
            return Runtime.Version.parse(runtimeVersion);
        } catch (IllegalArgumentException e) {
            return Runtime.Version.parse(Integer.toString(feature)); // a vendor's odd version string: the feature will do
        }
    }

    /** The master's own java: the default. */
    public static WorkerJava current() {
        Path home = Path.of(System.getProperty("java.home"));
        return new WorkerJava(home.resolve("bin").resolve("java"), home, Runtime.version().feature(),
                System.getProperty("java.runtime.version", Runtime.version().toString()));
    }

    /**
     * The java of --worker-java: null for the master's own.
     *
     * @throws IllegalArgumentException with one line when it is not a java executable of JDK 17 or later
     */
    static WorkerJava of(String value) {
        if (value == null || value.isEmpty()) {
            return current();
        }
        Path executable = Path.of(value).toAbsolutePath();
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new IllegalArgumentException("--worker-java '" + value + "' is not an executable file"
                    + " (name the java program of a JDK, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)");
        }
        WorkerJava own = current();
        if (sameFile(executable, own.executable())) {
            return own;
        }
        WorkerJava java;
        try {
            java = fromReleaseFile(executable);
            if (java == null) {
                java = fromProperties(executable);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("--worker-java '" + value + "': cannot tell its Java version ("
                    + e.getMessage() + ")");
        }
        if (java.feature() < MINIMUM_FEATURE) {
            throw new IllegalArgumentException("--worker-java '" + value + "' is Java " + java.feature()
                    + "; workers need Java " + MINIMUM_FEATURE + " or later");
        }
        return java;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** JDK 25 and later: workers start from the JDK's AOT cache instead of a dynamic CDS archive. */
    public boolean aotCache() {
        return feature >= 25;
    }

    /**
     * JDK 22 and later warn about jnr-ffi's native access and use of sun.misc.Unsafe unless told it is
     * allowed (JVM-FACTS 13); JDK 17 rejects the option that says so.
     */
    public boolean needsNativeAccessOptions() {
        return feature >= 22;
    }

    /** The JDK's release file (PATH/../../release, symlinks followed), which every JDK since 9 has. */
    private static WorkerJava fromReleaseFile(Path executable) throws IOException {
        Path home = executable.toRealPath().getParent().getParent();
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(release)) {
            p.load(in);
        }
        String version = unquote(p.getProperty("JAVA_VERSION"));
        if (version == null) {
            return null;
        }
        String runtime = unquote(p.getProperty("JAVA_RUNTIME_VERSION"));
        return new WorkerJava(executable, home, feature(version), runtime != null ? runtime : version);
    }

    /** Asks the java itself: {@code java -XshowSettings:properties -version}, once. */
    private static WorkerJava fromProperties(Path executable) throws IOException {
        Process process = new ProcessBuilder(executable.toString(), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("it did not answer -version within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String specification = property(output, "java.specification.version");
        String home = property(output, "java.home");
        if (specification == null || home == null) {
            throw new IOException("it printed no java.specification.version: is it a java?");
        }
        String runtime = property(output, "java.runtime.version");
        return new WorkerJava(executable, Path.of(home), feature(specification),
                runtime != null ? runtime : specification);
    }

    private static String property(String output, String name) {
        for (String line : output.split("\\R")) {
            String t = line.strip();
            if (t.startsWith(name + " = ")) {
                return t.substring(name.length() + 3).strip();
            }
        }
        return null;
    }

    /** 17.0.15 is 17, 1.8.0_412 is 8. */
    static int feature(String version) {
        String v = version.startsWith("1.") ? version.substring(2) : version;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new UncheckedIOException(new IOException("unknown version '" + version + "'"));
        }
        return Integer.parseInt(v.substring(0, end));
    }

    private static String unquote(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
