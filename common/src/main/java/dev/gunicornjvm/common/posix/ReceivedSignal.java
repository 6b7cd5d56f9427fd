package dev.gunicornjvm.common.posix;

/** A signal taken by sigtimedwait: its number and the pid that sent it (0 for the kernel). */
public record ReceivedSignal(int number, int senderPid) {
}
