package dev.gunicornjvm.common.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HookRunnerTest {
    private final HookRunner runner = new HookRunner(300);

    @Test
    void aHookThatReturnsIsDone() {
        int[] ran = {0};
        assertEquals(HookRunner.Outcome.DONE, runner.run("on_starting", () -> ran[0]++));
        assertEquals(1, ran[0]);
    }

    @Test
    void exceptionsAndErrorsAreCaught() {
        assertEquals(HookRunner.Outcome.FAILED, runner.run("a", () -> {
            throw new java.io.IOException("checked");
        }));
        assertEquals(HookRunner.Outcome.FAILED, runner.run("b", () -> {
            throw new StackOverflowError();
        }));
    }

    @Test
    void aHungHookIsAbandonedAtTheTimeoutAndTheNextRunsAtOnce() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        long start = System.nanoTime();
        assertEquals(HookRunner.Outcome.TIMED_OUT, runner.run("hang", release::await));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= 250 && took < 3000, took + " ms");
        CountDownLatch next = new CountDownLatch(1);
        assertEquals(HookRunner.Outcome.DONE, runner.run("next", next::countDown), "not queued behind the hung one");
        assertTrue(next.await(1, TimeUnit.SECONDS));
        release.countDown();
    }

    @Test
    void anUnwaitedHookRunsBesideTheCaller() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        assertEquals(HookRunner.Outcome.NOT_WAITED, runner.run("bg", () -> {
            release.await();
            ran.countDown();
        }, 0));
        release.countDown();
        assertTrue(ran.await(5, TimeUnit.SECONDS));
    }

    @Test
    void anExceptionIsOneLineWithWhereItWasThrown() {
        String line = HookRunner.describe(new IllegalStateException("two\nlines"));
        assertTrue(line.startsWith("java.lang.IllegalStateException: two lines (at "), line);
        assertTrue(line.contains("HookRunnerTest"), line);
    }
}
