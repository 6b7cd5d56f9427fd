package dev.gunicornjvm.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A system user made for one test (useradd, no home directory, a name nobody else has) and removed
 * again on close, even when the test fails: tests that need a named user for -u depend on no user
 * that happens to exist on the machine. Needs root.
 */
final class ThrowawayUser implements AutoCloseable {
    final String name;
    final int uid;

    private ThrowawayUser(String name, int uid) {
        this.name = name;
        this.uid = uid;
    }

    static ThrowawayUser create() throws IOException, InterruptedException {
        String name = "gjtest-" + UUID.randomUUID().toString().substring(0, 8);
        run("useradd", "--system", "--no-create-home", "--user-group", name);
        try {
            return new ThrowawayUser(name, Integer.parseInt(run("id", "-u", name).trim()));
        } catch (IOException | RuntimeException e) {
            run("userdel", "--force", name);
            throw e;
        }
    }

    /** Removes the user and its group; the test has stopped its processes before. */
    @Override
    public void close() throws IOException, InterruptedException {
        run("userdel", "--force", name);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + out.trim());
        }
        return out;
    }
}
