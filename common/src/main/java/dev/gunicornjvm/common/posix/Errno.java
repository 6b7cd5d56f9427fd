package dev.gunicornjvm.common.posix;

/** A failed libc call, with the errno it set and the text libc gives for it. */
public final class Errno extends RuntimeException {
    private final int code;

    public Errno(String call, int code, String text) {
        super(call + ": " + text);
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int ECHILD = 10;
    public static final int ESRCH = 3;
    public static final int EPERM = 1;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ECONNREFUSED = 111;
    public static final int ENOENT = 2;
    public static final int EINVAL = 22;
    public static final int EBADF = 9;
    public static final int ENOTSOCK = 88;
}
