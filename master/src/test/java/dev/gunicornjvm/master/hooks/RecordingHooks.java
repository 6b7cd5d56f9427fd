package dev.gunicornjvm.master.hooks;

import dev.gunicornjvm.hooks.ServerHooks;
import dev.gunicornjvm.hooks.ServerInfo;
import dev.gunicornjvm.hooks.WorkerExit;
import dev.gunicornjvm.hooks.WorkerInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A --hooks class for the master's unit tests: appends one line per event to the file named by the
 * system property {@value #FILE} (it is loaded in a class loader of its own, so a static field would
 * not be the test's). A worker_abort throws, and an on_reload hangs, to show neither stops the master.
 */
public class RecordingHooks implements ServerHooks {
    public static final String FILE = "recording.hooks.file";

    private static void record(String line) {
        try {
            Files.writeString(Path.of(System.getProperty(FILE)), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onStarting(ServerInfo server) {
        record("on_starting " + server.workers());
    }

    @Override
    public void whenReady(ServerInfo server) {
        record("when_ready " + server.workers());
    }

    @Override
    public void onReload(ServerInfo server) {
        record("on_reload " + server.generation());
        if (Boolean.getBoolean(FILE + ".hang")) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void preFork(ServerInfo server, WorkerInfo worker) {
        record("pre_fork " + worker.generation());
    }

    @Override
    public void workerAbort(ServerInfo server, WorkerInfo worker) {
        record("worker_abort " + worker.pid());
        throw new IllegalStateException("a hook that throws");
    }

    @Override
    public void workerExit(ServerInfo server, WorkerInfo worker, WorkerExit exit) {
        record("worker_exit " + worker.pid() + " " + exit.code() + " " + exit.signal());
    }

    @Override
    public void childExit(ServerInfo server, WorkerInfo worker, WorkerExit exit) {
        record("child_exit " + worker.pid() + " " + worker.age());
    }

    @Override
    public void nworkersChanged(ServerInfo server, int newValue, int oldValue) {
        record("nworkers_changed " + newValue + " " + oldValue);
    }

    @Override
    public void onExit(ServerInfo server) {
        record("on_exit");
    }
}
