package dev.gunicornjvm.common.posix;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The one place that touches JDK internals (needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}).
 *
 * <p>Java has no public way to wrap an inherited fd number other than 0 (JVM-FACTS 15): we need it
 * for every listener after the first and for the pipes to the master, and we would rather treat all
 * fds alike than special-case fd 0 (whose channel, once closed, also takes stdout and stderr with it,
 * JVM-FACTS 16). Both constructors used here are the same on JDK 17 and 25.
 */
public final class InheritedFd {
    private InheritedFd() {
    }

    /** A FileDescriptor for an fd number this process already owns. */
    public static FileDescriptor of(int fd) {
        try {
            Method newFd = Class.forName("sun.nio.ch.IOUtil").getMethod("newFD", int.class);
            newFd.setAccessible(true);
            return (FileDescriptor) newFd.invoke(null, fd);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot wrap inherited fd " + fd
                    + " (the JVM needs --add-opens java.base/sun.nio.ch=ALL-UNNAMED): " + e, e);
        }
    }

    /** The fd number of a socket channel of this JVM (its {@code sun.nio.ch.SelChImpl#getFDVal}, the same on 17 and 25). */
    public static int number(SelectableChannel channel) throws IOException {
        try {
            Method fdVal = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            fdVal.setAccessible(true);
            return (Integer) fdVal.invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot find the fd of " + channel
                    + " (the JVM needs --add-opens java.base/sun.nio.ch=ALL-UNNAMED): " + e, e);
        }
    }

    /** A bound, listening ServerSocketChannel over an inherited listener fd of the given family. */
    public static ServerSocketChannel listener(int fd, ProtocolFamily family) throws IOException {
        try {
            Class<?> impl = Class.forName("sun.nio.ch.ServerSocketChannelImpl");
            Constructor<?> constructor = impl.getDeclaredConstructor(
                    SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class);
            constructor.setAccessible(true);
            return (ServerSocketChannel) constructor.newInstance(SelectorProvider.provider(), family, of(fd), true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot open inherited listener fd " + fd + " as " + family
                    + " (the JVM needs --add-opens java.base/sun.nio.ch=ALL-UNNAMED): " + e, e);
        }
    }
}
