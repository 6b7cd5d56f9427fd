package dev.gunicornjvm.master.control;

import dev.gunicornjvm.common.control.ControlProtocol;
import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.ControlResponse;
import dev.gunicornjvm.common.posix.InheritedFd;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.master.app.PrivateDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The master's control socket. It only moves bytes: each request is checked (size, time, JSON, the
 * peer's user) and handed to the arbiter's event loop, which owns every answer. A few handler threads
 * with a short queue serve the connections, so a flood of clients, slow or not, costs a bounded amount
 * and never blocks the arbiter.
 *
 * <p>Security: the socket lives in a directory of mode 0700 that the master's uid owns (one made by
 * anyone else is refused, not adopted), is itself 0600, and each request is checked against the peer's
 * uid (SO_PEERCRED): only root, the master's own uid and the workers' uid (-u) may act. Uids are
 * compared as numbers, so a
 * peer whose uid has no passwd entry is judged like any other, and two names for one uid are one user.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    private static final int HANDLERS = 4;
    private static final int QUEUED_CONNECTIONS = 32;
    /** How long the arbiter may take to answer; it answers within one loop pass. */
    private static final long ANSWER_TIMEOUT_MILLIS = 5000;

    private final Path socket;
    private final ServerSocketChannel server;
    private final BiConsumer<ControlRequest, CompletableFuture<ControlResponse>> arbiter;
    private final Posix posix;
    /** The master's uid, which owns the socket. */
    private final int owner;
    /** The uids that may act: root, the master's, and the workers' (-u) if they run as another user. */
    private final Set<Integer> allowed;
    private final ThreadPoolExecutor handlers = new ThreadPoolExecutor(HANDLERS, HANDLERS, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUED_CONNECTIONS), r -> {
                Thread t = new Thread(r, "control-handler");
                t.setDaemon(true);
                return t;
            });

    private ControlServer(Posix posix, Path socket, ServerSocketChannel server,
                          OptionalInt workerUid, BiConsumer<ControlRequest, CompletableFuture<ControlResponse>> arbiter) {
        this.posix = posix;
        this.owner = posix.uid();
        Set<Integer> uids = new TreeSet<>(List.of(0, owner));
        workerUid.ifPresent(uids::add);
        this.allowed = Collections.unmodifiableSet(uids);
        this.socket = socket;
        this.server = server;
        this.arbiter = arbiter;
    }

    /**
     * Opens {@code directory/PID.sock} and starts accepting.
     *
     * @param workerUid the uid workers run as (-u), which may use the socket too; empty without -u
     * @param arbiter   receives each valid request with the future to complete with its answer
     */
    public static ControlServer start(Path directory, int pid, OptionalInt workerUid,
                                      BiConsumer<ControlRequest, CompletableFuture<ControlResponse>> arbiter)
            throws IOException {
        Posix posix = Posix.get();
        prepareDirectory(directory, posix.uid());
        Path socket = ControlProtocol.socket(directory, pid);
        Files.deleteIfExists(socket); // ours by name: a master with our pid cannot be running
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 64);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        ControlServer control = new ControlServer(posix, socket, server, workerUid, arbiter);
        Thread acceptor = new Thread(control::acceptLoop, "control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return control;
    }

    /**
     * Makes the directory 0700, or checks the one that exists: a directory another user made, or one
     * others may write to, is refused rather than adopted, since its maker could have planted files in
     * it or swap our socket for theirs. One of ours that others may only read is made 0700.
     */
    private static void prepareDirectory(Path directory, int uid) throws IOException {
        PrivateDirectory.createSafe(directory, PosixFilePermissions.fromString("rwx------"), uid);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                handlers.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                close(client); // too many at once: drop, the arbiter is unaffected
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            ControlResponse response = answer(client);
            if (response != null) {
                client.configureBlocking(true);
                byte[] bytes = (ControlProtocol.JSON.writeValueAsString(response) + "\n").getBytes(StandardCharsets.UTF_8);
                ByteBuffer out = ByteBuffer.wrap(bytes);
                while (out.hasRemaining()) {
                    client.write(out);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Control connection dropped: {}", e.toString());
        }
    }

    /** The answer to one connection's request, or null to drop it without one. */
    private ControlResponse answer(SocketChannel client) throws IOException {
        // The JDK's SO_PEERCRED gives a user name; the kernel gives the number we compare.
        int uid = posix.sockets().peerUid(InheritedFd.number(client));
        if (!allowed.contains(uid)) {
            LOG.warn("Refused a control request from uid {}", uid);
            return ControlResponse.failure(null, "permission-denied",
                    "only uids " + allowed + " may control this master");
        }
        String line = readLine(client);
        if (line == null) {
            return null; // slow or silent client
        }
        if (line.getBytes(StandardCharsets.UTF_8).length > ControlProtocol.MAX_REQUEST_BYTES) {
            return ControlResponse.failure(null, "too-large",
                    "requests are at most " + ControlProtocol.MAX_REQUEST_BYTES + " bytes");
        }
        ControlRequest request;
        try {
            request = ControlProtocol.JSON.readValue(line, ControlRequest.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return ControlResponse.failure(null, "bad-request", "not a JSON request object: " + e.getOriginalMessage());
        }
        if (request.v() != ControlProtocol.VERSION) {
            return ControlResponse.failure(request.id(), "bad-version",
                    "this master speaks protocol version " + ControlProtocol.VERSION + ", not " + request.v());
        }
        if (request.command() == null) {
            return ControlResponse.failure(request.id(), "bad-request", "no command");
        }
        CompletableFuture<ControlResponse> answer = new CompletableFuture<>();
        arbiter.accept(request, answer);
        try {
            return answer.get(ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return ControlResponse.failure(request.id(), "busy", "the master did not answer in time");
        }
    }

    /**
     * Reads up to the first newline, giving up when the client is slower than READ_TIMEOUT_MILLIS or
     * sends more than MAX_REQUEST_BYTES (then returns what it has, which the caller refuses as too long).
     */
    private static String readLine(SocketChannel client) throws IOException {
        client.configureBlocking(false);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ControlProtocol.READ_TIMEOUT_MILLIS);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try (Selector selector = Selector.open()) {
            client.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                selector.select(left);
                buffer.clear();
                int n = client.read(buffer);
                if (n < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                for (int i = 0; i < n; i++) {
                    byte b = buffer.get(i);
                    if (b == '\n') {
                        return line.toString(StandardCharsets.UTF_8);
                    }
                    line.write(b);
                }
                if (line.size() > ControlProtocol.MAX_REQUEST_BYTES) {
                    return line.toString(StandardCharsets.UTF_8);
                }
                selector.selectedKeys().clear();
            }
        }
    }

    private static void close(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // Dropping it is all we wanted.
        }
    }

    /** Stops accepting and removes this master's socket, and only that one. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Nothing more to do at exit.
        }
        handlers.shutdownNow();
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent()); // only if empty: another master may use it
        } catch (IOException ignored) {
            // The other master's socket is still in the directory; it stays.
        }
    }
}
