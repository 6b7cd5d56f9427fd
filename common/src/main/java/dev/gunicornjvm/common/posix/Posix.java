package dev.gunicornjvm.common.posix;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The native POSIX layer: thin, checked wrappers over {@link LibC}. Every failure becomes an
 * {@link Errno} naming the call; nothing above this class sees raw errno values.
 *
 * <p>Loading jnr-ffi costs a few hundred milliseconds, so the library is bound on first use only.
 */
public final class Posix {
    private static final long SIG_DFL = 0;
    private static final long SIG_IGN = 1;
    private static final long SIG_ERR = -1;
    // Linux x86_64 / glibc constants (JVM-FACTS, "Numbers").
    private static final int SIG_BLOCK = 0;
    private static final int SIG_SETMASK = 2;
    private static final int SIGSET_SIZE = 128;
    private static final int SIGINFO_SIZE = 128;
    private static final int SPAWN_STRUCT_SIZE = 512;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int WNOHANG = 1;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SIGPIPE = 13;
    private static final int SIGXFSZ = 25;

    private static volatile Posix instance;

    private final LibC libc;
    private final Runtime runtime;
    private final Sockets sockets;

    private Posix() {
        libc = LibraryLoader.create(LibC.class).load("c");
        runtime = Runtime.getRuntime(libc);
        sockets = new Sockets(this, libc, runtime);
    }

    /** The process-wide binding, loaded on first use. */
    public static Posix get() {
        Posix p = instance;
        if (p == null) {
            synchronized (Posix.class) {
                if (instance == null) {
                    requireLinuxX86();
                    instance = new Posix();
                }
                p = instance;
            }
        }
        return p;
    }

    private static void requireLinuxX86() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsupportedOperationException(
                    "gunicorn-jvm runs on Linux x86_64 with glibc only (this is " + os + " " + arch + ")");
        }
    }

    Runtime runtime() {
        return runtime;
    }

    /** Sockets: listening ones, peers' credentials, datagrams. */
    public Sockets sockets() {
        return sockets;
    }

    Errno error(String call) {
        int code = runtime.getLastError();
        return new Errno(call, code, libc.strerror(code));
    }

    int check(String call, int result) {
        if (result < 0) {
            throw error(call);
        }
        return result;
    }

    public int pid() {
        return libc.getpid();
    }

    public int parentPid() {
        return libc.getppid();
    }

    public int uid() {
        return libc.getuid();
    }

    /**
     * Becomes {@code uid}/{@code gid} for good, with no other groups: the order matters, since after
     * setuid a process may no longer change its groups. glibc applies each call to every thread.
     */
    public void becomeUser(int uid, int gid) {
        check("setgroups", libc.setgroups(1, new int[] {gid}));
        check("setgid(" + gid + ")", libc.setgid(gid));
        check("setuid(" + uid + ")", libc.setuid(uid));
    }

    /** Sets the file mode creation mask; returns the old one. */
    public int umask(int mask) {
        return libc.umask(mask);
    }

    public void chown(String path, int uid, int gid) {
        check("chown " + path, libc.chown(path, uid, gid));
    }

    /** Sends a signal; returns false if no such process exists. */
    public boolean kill(int pid, int signal) {
        if (libc.kill(pid, signal) == 0) {
            return true;
        }
        int code = runtime.getLastError();
        if (code == Errno.ESRCH) {
            return false;
        }
        throw new Errno("kill(" + pid + ", " + signal + ")", code, libc.strerror(code));
    }

    /** True if a process with this pid exists (even one we may not signal). */
    public boolean exists(int pid) {
        return libc.kill(pid, 0) == 0 || runtime.getLastError() == Errno.EPERM;
    }

    /**
     * Reaps one known child without blocking. Never call waitpid(-1): it would steal exit statuses
     * from java.lang.Process (JVM-FACTS 10).
     */
    public Optional<ExitStatus> reap(int pid) {
        int[] status = new int[1];
        int result = libc.waitpid(pid, status, WNOHANG);
        if (result == pid) {
            return Optional.of(ExitStatus.decode(status[0]));
        }
        if (result < 0 && runtime.getLastError() == Errno.ECHILD) {
            return Optional.of(new ExitStatus(-1, 0)); // already reaped elsewhere; treat as gone
        }
        return Optional.empty();
    }

    // ---- signals ----

    Pointer signalSet(int... signals) {
        Pointer set = Memory.allocateDirect(runtime, SIGSET_SIZE);
        libc.sigemptyset(set);
        for (int s : signals) {
            libc.sigaddset(set, s);
        }
        return set;
    }

    /**
     * Makes a signal's disposition the default again; true if it was ignored. A process started with
     * SIGCHLD ignored never sees its children's exit statuses: the kernel reaps them at once.
     */
    public boolean restoreDefault(int signal) {
        long previous = libc.signal(signal, SIG_DFL);
        if (previous == SIG_ERR) {
            throw error("signal(" + signal + ", SIG_DFL)");
        }
        return previous == SIG_IGN;
    }

    /** Blocks the signals in the calling thread (threads it starts later inherit the mask). */
    public void blockInThisThread(int... signals) {
        spawnCall("pthread_sigmask", libc.pthread_sigmask(SIG_BLOCK, signalSet(signals), null));
    }

    /** True if every listed signal is blocked in the calling thread. */
    public boolean blockedInThisThread(int... signals) {
        Pointer current = Memory.allocateDirect(runtime, SIGSET_SIZE);
        libc.pthread_sigmask(SIG_SETMASK, null, current);
        for (int s : signals) {
            if (libc.sigismember(current, s) != 1) {
                return false;
            }
        }
        return true;
    }

    /** A reusable sigtimedwait over a fixed set of (blocked) signals. */
    public SignalWaiter signalWaiter(int... signals) {
        return new SignalWaiter(signals);
    }

    /** Waits for one of a fixed set of blocked signals; used by exactly one thread per process. */
    public final class SignalWaiter {
        private final Pointer set;
        private final Pointer info = Memory.allocateDirect(runtime, SIGINFO_SIZE);
        private final Pointer timeout = Memory.allocateDirect(runtime, 16);

        private SignalWaiter(int[] signals) {
            set = signalSet(signals);
        }

        public Optional<ReceivedSignal> await(long timeoutMillis) {
            timeout.putLong(0, timeoutMillis / 1000);
            timeout.putLong(8, (timeoutMillis % 1000) * 1_000_000L);
            int signo = libc.sigtimedwait(set, info, timeout);
            if (signo < 0) {
                int code = runtime.getLastError();
                if (code == Errno.EAGAIN || code == Errno.EINTR) {
                    return Optional.empty();
                }
                throw new Errno("sigtimedwait", code, libc.strerror(code));
            }
            return Optional.of(new ReceivedSignal(signo, info.getInt(16)));
        }
    }

    // ---- spawning ----

    /**
     * Starts a child with posix_spawn. The child gets exactly {@code request.childFds()} (plus stdout
     * and stderr, and stdin from /dev/null), the blocked signals as its mask, and default handlers for
     * those signals and for PIPE/XFSZ, which a JVM parent may have set to ignore.
     */
    public int spawn(SpawnRequest request) {
        Pointer attributes = Memory.allocateDirect(runtime, SPAWN_STRUCT_SIZE);
        Pointer actions = Memory.allocateDirect(runtime, SPAWN_STRUCT_SIZE);
        spawnCall("posix_spawnattr_init", libc.posix_spawnattr_init(attributes));
        spawnCall("posix_spawn_file_actions_init", libc.posix_spawn_file_actions_init(actions));
        try {
            short flags = (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
                    | (request.detach() ? POSIX_SPAWN_SETSID : 0));
            spawnCall("posix_spawnattr_setflags", libc.posix_spawnattr_setflags(attributes, flags));
            spawnCall("posix_spawnattr_setsigmask",
                    libc.posix_spawnattr_setsigmask(attributes, signalSet(request.blockedSignals())));
            int[] defaults = new int[request.blockedSignals().length + 2];
            System.arraycopy(request.blockedSignals(), 0, defaults, 0, request.blockedSignals().length);
            defaults[defaults.length - 2] = SIGPIPE;
            defaults[defaults.length - 1] = SIGXFSZ;
            spawnCall("posix_spawnattr_setsigdefault", libc.posix_spawnattr_setsigdefault(attributes, signalSet(defaults)));

            spawnCall("posix_spawn_file_actions_addopen",
                    libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0));
            if (request.detach()) {
                spawnCall("posix_spawn_file_actions_addopen",
                        libc.posix_spawn_file_actions_addopen(actions, 1, "/dev/null", O_WRONLY, 0));
            }
            String errors = request.output() != null ? request.output() : request.detach() ? "/dev/null" : null;
            if (errors != null) {
                spawnCall("posix_spawn_file_actions_addopen", libc.posix_spawn_file_actions_addopen(
                        actions, 2, errors, O_WRONLY | O_APPEND | O_CREAT, 0644));
            }
            int highest = 2;
            for (Map.Entry<Integer, Integer> e : new TreeMap<>(request.childFds()).entrySet()) {
                // dup2 leaves the new fd without close-on-exec, so the copy survives the exec.
                spawnCall("posix_spawn_file_actions_adddup2",
                        libc.posix_spawn_file_actions_adddup2(actions, e.getValue(), e.getKey()));
                highest = Math.max(highest, e.getKey());
            }
            // Most JVM fds are not close-on-exec (JVM-FACTS 8): close everything the child was not given.
            spawnCall("posix_spawn_file_actions_addclosefrom_np",
                    libc.posix_spawn_file_actions_addclosefrom_np(actions, highest + 1));

            int[] pid = new int[1];
            String[] argv = request.argv().toArray(new String[0]);
            String[] envp = request.environment().toArray(new String[0]);
            spawnCall("posix_spawn " + request.path(),
                    libc.posix_spawn(pid, request.path(), actions, attributes, argv, envp));
            return pid[0];
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
            libc.posix_spawnattr_destroy(attributes);
        }
    }

    /** posix_spawn* and pthread_* functions return the error number instead of setting errno. */
    private void spawnCall(String call, int result) {
        if (result != 0) {
            throw new Errno(call, result, libc.strerror(result));
        }
    }

    // ---- file descriptors ----

    /** A pipe, both ends close-on-exec: {read, write}. */
    public int[] pipe() {
        int[] fds = new int[2];
        check("pipe2", libc.pipe2(fds, O_CLOEXEC));
        return fds;
    }

    /**
     * Moves an fd to the lowest free number at or above {@code minimum}, close-on-exec, and closes the
     * original. Keeping the master's fds high means they never collide with the low numbers a child
     * receives them at, whatever order the dup2 actions run in.
     */
    public int moveAbove(int fd, int minimum) {
        int moved = check("fcntl(F_DUPFD_CLOEXEC)", libc.fcntl(fd, F_DUPFD_CLOEXEC, minimum));
        libc.close(fd);
        return moved;
    }

    public void setCloseOnExec(int fd, boolean closeOnExec) {
        int flags = check("fcntl(F_GETFD)", libc.fcntl(fd, F_GETFD, 0));
        int wanted = closeOnExec ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
        check("fcntl(F_SETFD)", libc.fcntl(fd, F_SETFD, wanted));
    }

    public void close(int fd) {
        libc.close(fd);
    }
}
