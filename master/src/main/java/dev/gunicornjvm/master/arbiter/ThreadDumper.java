package dev.gunicornjvm.master.arbiter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Asks a worker JVM for a thread dump with {@code jcmd PID Thread.print} (JVM-FACTS 6), on a thread of
 * its own: a hung JVM may never answer, so the arbiter must not wait for it.
 */
final class ThreadDumper {
    private ThreadDumper() {
    }

    static void start(int pid, long limitMillis, Consumer<String> done) {
        Thread t = new Thread(() -> done.accept(dump(pid, limitMillis)), "thread-dump-" + pid);
        t.setDaemon(true);
        t.start();
    }

    private static String dump(int pid, long limitMillis) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return "(no thread dump: " + jcmd + " is missing; install a full JDK to get dumps)";
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Integer.toString(pid), "Thread.print")
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread copier = new Thread(() -> copy(p.getInputStream(), out));
            copier.setDaemon(true);
            copier.start();
            if (!p.waitFor(limitMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "(no thread dump: the JVM did not answer within " + limitMillis + " ms)";
            }
            copier.join(1000);
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // The process ended or was killed; keep what we have.
        }
    }
}
