package dev.gunicornjvm.worker.link;

import dev.gunicornjvm.common.pipe.WorkerFds;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.posix.InheritedFd;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The worker's two pipes to its master: status messages out, and a lifeline in. The master writes to
 * the lifeline only to promote a standby; when the master dies the kernel closes its end, our read
 * returns EOF, and the worker exits, so a {@code kill -9} of the master leaves no worker serving.
 */
public final class MasterLink {
    private final OutputStream status;
    private final InputStream lifeline;

    public MasterLink(int listenerCount) {
        status = new FileOutputStream(InheritedFd.of(WorkerFds.statusPipe(listenerCount)));
        lifeline = new FileInputStream(InheritedFd.of(WorkerFds.lifelinePipe(listenerCount)));
    }

    /** Sends one message; returns false if the master is gone. */
    public synchronized boolean send(WorkerMessage message) {
        try {
            status.write((message.encode() + "\n").getBytes(StandardCharsets.UTF_8));
            status.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Calls {@code onPromoted} when the master says {@link WorkerFds#PROMOTE}, and {@code onMasterGone}
     * when the lifeline reaches EOF, both on a daemon thread. Any other line is ignored.
     */
    public void watchLifeline(Runnable onPromoted, Runnable onMasterGone) {
        daemon("lifeline", () -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(lifeline, StandardCharsets.US_ASCII))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.equals(WorkerFds.PROMOTE)) {
                        onPromoted.run();
                    }
                }
            } catch (IOException ignored) {
                // Same as EOF.
            }
            onMasterGone.run();
        });
    }

    /** Runs {@code tick} every {@code intervalMillis} on a thread of its own; the tick decides what to send. */
    public void everyInterval(long intervalMillis, Runnable tick) {
        daemon("heartbeat", () -> {
            while (true) {
                try {
                    tick.run();
                } catch (RuntimeException e) {
                    // A failed tick is a missed heartbeat; a dead heartbeat thread would be a false timeout.
                }
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }
}
