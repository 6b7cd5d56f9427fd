package dev.gunicornjvm.common.signals;

import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.ReceivedSignal;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The one place a gunicorn-jvm process receives signals (JVM-FACTS 2): the JVM runs with -Xrs and
 * _JAVA_SR_SIGNUM=40, and was started with every {@link Signal} blocked, so the signals stay pending
 * until this thread takes them with sigtimedwait. Each one is handed to the consumer as plain data on
 * this thread; consumers only enqueue, they never act here. Signals coalesce: consumers must not count.
 */
public final class SignalReceiver {
    private static final int[] ALL = Arrays.stream(Signal.values()).mapToInt(Signal::number).toArray();

    private SignalReceiver() {
    }

    /** The numbers of every signal gunicorn-jvm blocks; children are spawned with this mask. */
    public static int[] blockedSet() {
        return ALL.clone();
    }

    /**
     * Fails with a clear message if this JVM was not started with the signals blocked: without the mask
     * a TERM would kill the JVM before we could act, and a QUIT would print a thread dump instead.
     */
    public static void requireBlockedMask(Posix posix, String launcher) {
        if (!posix.blockedInThisThread(ALL)) {
            throw new IllegalStateException("signals are not blocked in this JVM; start it with " + launcher
                    + ", which runs java with -Xrs under 'env --block-signal=...'");
        }
    }

    /** Starts the daemon thread that takes signals and hands each to {@code consumer}. */
    public static Thread start(Posix posix, Consumer<ReceivedSignal> consumer) {
        Posix.SignalWaiter waiter = posix.signalWaiter(ALL);
        Thread thread = new Thread(() -> {
            while (true) {
                waiter.await(1000).ifPresent(consumer);
            }
        }, "signals");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
