package dev.gunicornjvm.master.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerJavaTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultIsTheMastersOwnJava() {
        WorkerJava java = WorkerJava.of(null);
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java"), java.executable());
        assertEquals(Runtime.version().feature(), java.feature());
        assertEquals(java, WorkerJava.of(java.executable().toString()), "named, it is the same java");
    }

    @Test
    void theVersionComesFromTheJdksReleaseFileThroughSymlinks() throws IOException {
        Path jdk = fakeJdk("jdk", "JAVA_VERSION=\"25.0.3\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n");
        Path link = Files.createSymbolicLink(dir.resolve("java"), jdk.resolve("bin/java"));
        WorkerJava java = WorkerJava.of(link.toString());
        assertEquals(25, java.feature());
        assertEquals("25.0.3+9-LTS", java.runtimeVersion());
        assertEquals(jdk.toRealPath(), java.home());
        assertEquals(link, java.executable());
        assertTrue(java.aotCache());
        assertTrue(java.needsNativeAccessOptions());

        WorkerJava seventeen = WorkerJava.of(fakeJdk("jdk17", "JAVA_VERSION=\"17.0.15\"\n").resolve("bin/java").toString());
        assertEquals(17, seventeen.feature());
        assertFalse(seventeen.aotCache());
        assertFalse(seventeen.needsNativeAccessOptions());
    }

    @Test
    void whatIsNotAnExecutableOrTooOldIsRefusedInOneLine() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> WorkerJava.of(dir.resolve("nothing/bin/java").toString()));
        assertTrue(missing.getMessage().startsWith("--worker-java '" + dir.resolve("nothing/bin/java")
                + "' is not an executable file"), missing.getMessage());
        Path notExecutable = Files.writeString(dir.resolve("plain"), "");
        assertThrows(IllegalArgumentException.class, () -> WorkerJava.of(notExecutable.toString()));
        assertThrows(IllegalArgumentException.class, () -> WorkerJava.of(dir.toString()), "a directory");
        Path old = fakeJdk("jdk8", "JAVA_VERSION=\"1.8.0_412\"\n").resolve("bin/java");
        IllegalArgumentException tooOld = assertThrows(IllegalArgumentException.class, () -> WorkerJava.of(old.toString()));
        assertEquals("--worker-java '" + old + "' is Java 8; workers need Java 17 or later", tooOld.getMessage());
        assertFalse(missing.getMessage().contains("\n"));
    }

    @Test
    void theOptionAndTheConfigKeyReachTheSettings() throws IOException {
        Path jdk = fakeJdk("jdk25", "JAVA_VERSION=\"25.0.3\"\n");
        GunicornCommand command = new GunicornCommand();
        new picocli.CommandLine(command).parseArgs("--worker-java", jdk.resolve("bin/java").toString(),
                "-cp", dir.toString(), "example.Hello");
        assertEquals(25, command.settings().workerJava().feature());
        assertTrue(GunicornCommand.spec().findOption("--worker-java") != null);
        assertTrue(ConfigKeys.settable(GunicornCommand.spec()).containsKey("worker_java"));
    }

    private Path fakeJdk(String name, String release) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), release);
        return home;
    }
}
