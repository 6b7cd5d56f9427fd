package dev.gunicornjvm.common.posix;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The libc functions gunicorn-jvm binds, and nothing else. Binding only what is needed keeps jnr-ffi's
 * start-up cost small (JVM-FACTS 12). Callers use {@link Posix}, which speaks in Java types.
 */
public interface LibC {
    int getpid();

    int getppid();

    int getuid();

    int setuid(int uid);

    int setgid(int gid);

    int setgroups(long size, @In int[] groups);

    int umask(int mask);

    int chown(String path, int uid, int gid);

    int kill(int pid, int signal);

    int waitpid(int pid, @Out int[] status, int options);

    /** The handler as an address: 0 is SIG_DFL, 1 is SIG_IGN. Returns the previous one. */
    long signal(int signal, long handler);

    int sigemptyset(Pointer set);

    int sigaddset(Pointer set, int signal);

    int sigismember(Pointer set, int signal);

    int pthread_sigmask(int how, Pointer set, Pointer oldSet);

    int sigtimedwait(Pointer set, Pointer info, Pointer timeout);

    int posix_spawn(@Out int[] pid, String path, Pointer fileActions, Pointer attributes,
                    @In String[] argv, @In String[] envp);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_destroy(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setsigmask(Pointer attributes, Pointer set);

    int posix_spawnattr_setsigdefault(Pointer attributes, Pointer set);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int name, @In int[] value, int length);

    int getsockopt(int fd, int level, int name, @Out int[] value, @In @Out int[] length);

    int bind(int fd, Pointer address, int length);

    int listen(int fd, int backlog);

    int getsockname(int fd, Pointer address, @In @Out int[] length);

    int connect(int fd, Pointer address, int length);

    long sendto(int fd, @In byte[] buffer, long length, int flags, Pointer address, int addressLength);

    long recv(int fd, @Out byte[] buffer, long length, int flags);

    int fcntl(int fd, int command, int argument);

    int pipe2(@Out int[] fds, int flags);

    int close(int fd);

    String strerror(int errno);
}
