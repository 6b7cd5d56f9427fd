package dev.gunicornjvm.ctl.client;

import dev.gunicornjvm.common.control.ControlCommand;
import com.fasterxml.jackson.core.JacksonException;
import dev.gunicornjvm.common.control.ControlPaths;
import dev.gunicornjvm.common.control.ControlProtocol;
import dev.gunicornjvm.common.control.ControlRequest;
import dev.gunicornjvm.common.control.ControlResponse;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.ctl.support.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of the control socket (docs/control-protocol.md): one connection per request, one JSON
 * line each way, with a deadline on the whole exchange so that a stuck master can never hang gunictl.
 */
public final class ControlClient {
    /** Ids only need to be unique per connection; pid and counter avoid SecureRandom's start-up cost. */
    private static final AtomicLong NEXT_ID = new AtomicLong();
    private static final String ID_PREFIX = "gunictl-" + ownPid() + "-";

    private final Path directory;

    /**
     * This process's pid from /proc/self: ProcessHandle.current() sets up the JDK's process reaper (a
     * thread pool and its lambdas) on first use, which gunictl status would pay for just this.
     */
    private static String ownPid() {
        try {
            String pid = Files.readSymbolicLink(Path.of("/proc/self")).toString();
            Integer.parseInt(pid);
            return pid;
        } catch (IOException | RuntimeException e) {
            return Long.toString(ProcessHandle.current().pid());
        }
    }

    /** @param directory where the masters' sockets are: PIDFILE.ctl or --control-dir */
    public ControlClient(Path directory) {
        this.directory = directory;
    }

    public Path socketOf(int pid) {
        return ControlPaths.socket(directory, pid);
    }

    public MasterStatus status(int pid, Duration timeout) throws ControlException {
        return call(pid, ControlCommand.STATUS, null, timeout).status();
    }

    /** Sets the master's target number of workers; returns its status right after. */
    public MasterStatus scale(int pid, int workers, Duration timeout) throws ControlException {
        return call(pid, ControlCommand.SCALE, Map.of("workers", workers), timeout).status();
    }

    /** Sends one request and returns the master's successful answer; anything else is an exception. */
    public ControlResponse call(int pid, ControlCommand command, Map<String, Object> args, Duration timeout)
            throws ControlException {
        Path socket = socketOf(pid);
        requireSocket(socket);
        ControlRequest request = ControlRequest.of(ID_PREFIX + NEXT_ID.incrementAndGet(), command, args);
        String line;
        try {
            line = exchange(socket, requestJson(request) + "\n", timeout);
        } catch (IOException e) {
            throw failure(socket, e);
        }
        if (line == null) {
            throw new ControlException(ExitCode.FAILED, "master " + pid + " closed its control connection without"
                    + " an answer", true, null);
        }
        ControlResponse response;
        try {
            response = ControlJson.response(line);
        } catch (IOException | RuntimeException plainFormOnly) {
            // Not the plain form the streaming reader takes: databind reads it, or says what is wrong with it.
            try {
                response = ControlProtocol.JSON.readValue(line, ControlResponse.class);
            } catch (JacksonException e) {
                throw new ControlException(ExitCode.FAILED, "master " + pid + " answered with something that is not"
                        + " a control response: " + e.getOriginalMessage(), false, null);
            }
        }
        if (!response.ok()) {
            throw refused(pid, response.error());
        }
        return response;
    }

    /** The request's JSON line, as databind would write it (databind only for arguments the streaming writer does not take). */
    private static String requestJson(ControlRequest request) throws IOException {
        try {
            return ControlJson.request(request.v(), request.id(), request.command(), request.args());
        } catch (ControlJson.Unsupported e) {
            return ControlProtocol.JSON.writeValueAsString(request);
        }
    }

    /** Tells "no socket here" and "not allowed to look" apart before connecting, for a clearer message. */
    private void requireSocket(Path socket) throws ControlException {
        if (Files.exists(socket)) {
            return;
        }
        if (Files.isDirectory(directory) && !Files.isExecutable(directory)) {
            throw new ControlException(ExitCode.UNREACHABLE, "cannot reach the control socket: permission denied on "
                    + directory + " (run gunictl as the master's user or root)", false, null);
        }
        throw new ControlException(ExitCode.UNREACHABLE, "cannot reach the control socket: " + socket
                + " does not exist (was the master started with another --control-dir?)", true, null);
    }

    private static ControlException failure(Path socket, IOException e) {
        String why = String.valueOf(e.getMessage());
        if (why.contains("Permission denied")) {
            return new ControlException(ExitCode.UNREACHABLE, "cannot reach the control socket " + socket
                    + ": permission denied (run gunictl as the master's user or root)", false, null);
        }
        if (e instanceof TimedOut) {
            return new ControlException(ExitCode.FAILED, "no answer on " + socket + " " + why, true, null);
        }
        return new ControlException(ExitCode.UNREACHABLE, "cannot reach the control socket " + socket + ": " + why,
                true, null);
    }

    private static ControlException refused(int pid, ControlResponse.Error error) {
        String code = error == null ? "unknown" : error.code();
        String message = "master " + pid + " refused: " + (error == null ? "no reason given" : error.message());
        return switch (code) {
            case "permission-denied" -> new ControlException(ExitCode.UNREACHABLE, message, false, code);
            case "busy" -> new ControlException(ExitCode.FAILED, message, true, code);
            default -> new ControlException(ExitCode.FAILED, message + " (" + code + ")", false, code);
        };
    }

    /** Writes the request and reads one line back, all before the deadline; null if the master hung up. */
    private static String exchange(Path socket, String request, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.configureBlocking(false);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                while (true) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        throw new TimedOut("within " + timeout.toMillis() + " ms");
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                    in.clear();
                    int n = channel.read(in);
                    if (n < 0) {
                        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                    }
                    for (int i = 0; i < n; i++) {
                        if (in.get(i) == '\n') {
                            return line.toString(StandardCharsets.UTF_8);
                        }
                        line.write(in.get(i));
                    }
                }
            }
        }
    }

    private static final class TimedOut extends IOException {
        TimedOut(String message) {
            super(message);
        }
    }
}
