package dev.gunicornjvm.common.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real JVM with -Xrs, killed with SIGKILL as the master kills a training run. */
class AttachSocketTest {
    @Test
    void theSocketOfAKilledJvmIsRemovedAndALiveOnesIsKept() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(java, "-Xrs", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                Sleeper.class.getName()).start();
        Path socket = Path.of("/tmp/.java_pid" + jvm.pid());
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(socket)) { // -Xrs makes HotSpot open it at start-up
                assertTrue(System.nanoTime() - deadline < 0, "no " + socket + " after 30 s");
                Thread.sleep(20);
            }
            AttachSocket.removeLeftOver((int) jvm.pid());
            assertTrue(Files.exists(socket), "a running JVM keeps its socket");

            jvm.destroyForcibly(); // SIGKILL
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Files.exists(socket), "SIGKILL leaves it behind: that is the leak");
            AttachSocket.removeLeftOver((int) jvm.pid());
            assertFalse(Files.exists(socket));
        } finally {
            jvm.destroyForcibly();
            jvm.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void onlyASocketIsEverRemoved() throws Exception {
        Path file = Path.of("/tmp/.java_pid" + Integer.MAX_VALUE); // no such pid: above the kernel's pid_max
        Files.deleteIfExists(file);
        Files.writeString(file, "not a socket");
        try {
            AttachSocket.removeLeftOver(Integer.MAX_VALUE);
            assertTrue(Files.exists(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The JVM under test: sleeps until killed. */
    static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(TimeUnit.MINUTES.toMillis(2));
        }
    }
}
