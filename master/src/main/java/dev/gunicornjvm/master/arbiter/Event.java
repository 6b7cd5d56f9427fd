package dev.gunicornjvm.master.arbiter;

import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.ControlResponse;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.posix.ReceivedSignal;
import java.util.concurrent.CompletableFuture;

/**
 * Everything that can change the master's state arrives as one of these, on one queue, and is handled
 * by the arbiter's single thread. Other threads (the signal thread, one reader per worker pipe, thread
 * dump helpers, the control server) only create events.
 */
sealed interface Event {
    record SignalReceived(ReceivedSignal signal) implements Event {
    }

    record WorkerSaid(int pid, WorkerMessage message) implements Event {
    }

    /** The worker wrote garbage or an endless line on its status pipe; its reader has stopped. */
    record WorkerFaulty(int pid, String why) implements Event {
    }

    record WorkerPipeClosed(int pid) implements Event {
    }

    record ThreadDumpTaken(int pid, String dump) implements Event {
    }

    /** --reload saw these files change, and then a quiet moment: reload as on HUP. */
    record FilesChanged(java.util.List<java.nio.file.Path> paths) implements Event {
    }

    /** A request from the control socket; the arbiter completes {@code answer}. */
    record ControlCall(ControlRequest request, CompletableFuture<ControlResponse> answer) implements Event {
    }
}
