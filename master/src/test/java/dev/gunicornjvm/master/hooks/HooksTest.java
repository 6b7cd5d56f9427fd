package dev.gunicornjvm.master.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.common.posix.ExitStatus;
import dev.gunicornjvm.hooks.ServerHooks;
import dev.gunicornjvm.hooks.ServerInfo;
import dev.gunicornjvm.hooks.WorkerExit;
import dev.gunicornjvm.hooks.WorkerInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master's hooks: Java and shell, bounded, and never stopping the master. */
class HooksTest {
    @TempDir
    Path dir;

    @Test
    void shellHooksGetTheEventInTheirEnvironment() throws IOException {
        Path out = dir.resolve("out");
        String line = "echo \"$GUNICORN_EVENT master=$GUNICORN_MASTER_PID workers=$GUNICORN_WORKERS"
                + " pid=$GUNICORN_WORKER_PID gen=$GUNICORN_WORKER_GENERATION code=$GUNICORN_WORKER_EXIT_CODE"
                + " signal=$GUNICORN_WORKER_SIGNAL old=$GUNICORN_OLD_WORKERS\" >> " + out;
        Hooks hooks = new Hooks(new HookSettings(null, Map.of("worker_exit", line, "child_exit", line, "nworkers_changed", line,
                "on_exit", line + "; read x && echo stdin-not-closed >> " + out), 5), null, 4242, "app", 2);
        hooks.workerExited(77, 3, 9, new ExitStatus(-1, 9));
        hooks.workersWanted(2); // unchanged: nothing
        hooks.workersWanted(5);
        await(() -> lines(out).size() == 3, () -> lines(out).toString());
        hooks.onExit(); // waited for
        List<String> seen = lines(out);
        Collections.sort(seen); // the first three run beside each other
        assertEquals(List.of(
                "child_exit master=4242 workers=2 pid=77 gen=3 code=-1 signal=9 old=",
                "nworkers_changed master=4242 workers=5 pid= gen= code= signal= old=2",
                "on_exit master=4242 workers=5 pid= gen= code= signal= old=",
                "worker_exit master=4242 workers=2 pid=77 gen=3 code=-1 signal=9 old="), seen);
    }

    @Test
    void aShellHookGetsNoBlockedSignalAndStdinFromDevNull() throws IOException {
        Path out = dir.resolve("out");
        Hooks hooks = new Hooks(new HookSettings(null, Map.of("on_exit", "grep SigBlk /proc/$$/status > " + out
                + "; readlink /proc/$$/fd/0 >> " + out + "; echo to the log; echo errors too >&2"), 5), null, 1, "app", 1);
        hooks.onExit();
        assertEquals(List.of("SigBlk:\t0000000000000000", "/dev/null"), lines(out));
    }

    @Test
    void aShellHookPastTheTimeoutIsKilledWithWhatItStarted() throws IOException {
        Path pids = dir.resolve("pids");
        Hooks hooks = new Hooks(new HookSettings(null, Map.of("on_starting",
                "sleep 60 & echo $$ $! > " + pids + "; wait"), 1), null, 1, "app", 1);
        long start = System.nanoTime();
        hooks.onStarting();
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took >= 900 && took < 4000, "waited about --hook-timeout: " + took + " ms");
        for (String pid : Files.readString(pids).trim().split(" ")) {
            long p = Long.parseLong(pid);
            await(() -> ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true));
        }
    }

    @Test
    void javaHooksThatThrowOrHangDoNotStopTheOthers() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        ServerHooks java = new ServerHooks() {
            @Override
            public void onStarting(ServerInfo server) {
                seen.add("on_starting");
                throw new OutOfMemoryError("an Error too");
            }

            @Override
            public void whenReady(ServerInfo server) {
                seen.add("when_ready");
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void workerExit(ServerInfo server, WorkerInfo worker, WorkerExit exit) {
                seen.add("worker_exit " + worker.pid() + " " + server.workers());
                throw new IllegalStateException("boom");
            }

            @Override
            public void childExit(ServerInfo server, WorkerInfo worker, WorkerExit exit) {
                seen.add("child_exit " + exit.code());
            }
        };
        Hooks hooks = new Hooks(new HookSettings("x", Map.of(), 1), java, 1, "app", 3);
        hooks.onStarting();
        long start = System.nanoTime();
        hooks.whenReady();
        assertTrue((System.nanoTime() - start) / 1_000_000 < 4000);
        hooks.workerExited(5, 1, 1, new ExitStatus(0, 0));
        assertEquals(List.of("on_starting", "when_ready", "worker_exit 5 3", "child_exit 0"), seen);
    }

    @Test
    void settingsRefuseAShellHookForAnEventWithoutOne() {
        assertFalse(HookSettings.SHELL_EVENTS.contains("pre_request"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new HookSettings(null, Map.of("pre_request", "true"), 1));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
        } catch (IOException e) {
            return new ArrayList<>();
        }
    }

    private static void await(BooleanSupplier condition) {
        await(condition, () -> "");
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
