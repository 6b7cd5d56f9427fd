package dev.gunicornjvm.ctl;

import dev.gunicornjvm.common.control.WorkerState;
import dev.gunicornjvm.common.control.UpgradeRole;
import dev.gunicornjvm.common.control.ControlPaths;
import dev.gunicornjvm.common.control.MasterStatus;
import dev.gunicornjvm.common.process.ProcessIdentity;
import dev.gunicornjvm.ctl.client.ControlClient;
import dev.gunicornjvm.ctl.client.ControlJson;
import dev.gunicornjvm.ctl.output.Output;
import dev.gunicornjvm.ctl.output.Report;
import dev.gunicornjvm.ctl.output.StatusText;
import dev.gunicornjvm.ctl.signals.SignalSender;
import dev.gunicornjvm.ctl.support.GunictlException;
import dev.gunicornjvm.ctl.target.MasterLocator;
import dev.gunicornjvm.ctl.target.Target;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;

/**
 * Run once by bin/gunictl, in the background, to write gunictl's class-data archive
 * (-XX:ArchiveClassesAtExit). It loads what the commands load: the picocli model of every command,
 * Jackson both ways over a real Unix-socket exchange, text and JSON output, the process table and the
 * native layer, and the fast path of {@code status} (FastStatus). The archive then serves every command,
 * whichever happened to run first. Prints nothing.
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws Exception {
        PrintWriter sink = new PrintWriter(new StringWriter());
        CommandLine cl = Gunictl.commandLine();
        cl.setOut(sink);
        cl.setErr(sink);
        cl.usage(sink);
        cl.getSubcommands().values().forEach(sub -> sub.usage(sink));
        for (String[] line : List.of(new String[] {"status", "--json"}, new String[] {"-p", "x.pid", "scale", "+1"},
                new String[] {"kill", "QUIT", "--worker", "1", "--old"}, new String[] {"upgrade", "--timeout", "5"})) {
            cl.parseArgs(line);
        }

        Path dir = Files.createTempDirectory("gunictl-training-");
        try {
            MasterStatus status = exchange(dir);
            for (boolean json : new boolean[] {false, true}) {
                Output output = Output.of(json, sink, sink);
                Report report = new Report("status");
                output.attach(report);
                report.step("trained");
                report.put("master", status);
                report.succeed(StatusText.summary("master", status), StatusText.format("master", "gunicorn.pid", status));
                output.finish(report);
            }
            new MasterLocator(new Target(dir.resolve("gunicorn.pid"), null)).named(dir.resolve("gunicorn.pid"));
            // The fast path of gunictl status (no master here: it fails at the pidfile, past its parsing).
            for (String[] line : List.of(new String[] {"-p", dir.resolve("none.pid").toString(), "status"},
                    new String[] {"--pid=" + dir.resolve("none.pid"), "status", "--json", "--timeout=5"})) {
                FastStatus.Options fast = FastStatus.parse(line);
                if (fast != null) {
                    FastStatus.run(fast, sink, sink);
                }
            }
            ProcessIdentity.current().alive();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        try {
            new SignalSender();
        } catch (GunictlException e) {
            // No native layer here: the archive simply leaves it out.
        }
    }

    /** One status request answered by a stand-in master on a real socket, as gunictl status does it. */
    private static MasterStatus exchange(Path dir) throws IOException, GunictlException {
        MasterStatus sample = sampleStatus();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(ControlPaths.socket(dir, 1)));
            Thread master = new Thread(() -> answer(server, sample), "training-master");
            master.setDaemon(true);
            master.start();
            return new ControlClient(dir).status(1, Duration.ofSeconds(10));
        }
    }

    /** A status with every part filled in, so that using it exercises every (de)serializer. */
    static MasterStatus sampleStatus() {
        return new MasterStatus(1, "training", 1, "app.Servlet", List.of("http://127.0.0.1:8000"),
                "command line", "gunicorn.pid", false, false, 1, UpgradeRole.NONE, 0, 1, 1, false,
                List.of(new MasterStatus.Worker(2, 1, 1, WorkerState.READY, false, 0, 100),
                        new MasterStatus.Worker(3, 1, 1, WorkerState.STANDBY, true, 0, 100)),
                new MasterStatus.Reload(1, true, true, "generation 1 serving", 1));
    }

    private static void answer(ServerSocketChannel server, MasterStatus sample) {
        try (SocketChannel client = server.accept()) {
            new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8)).readLine();
            // Written with ControlJson, not databind: gunictl no longer uses databind, and the archive is
            // mapped (and relocated) whole by every run, so what it need not hold costs every run.
            String answer = "{\"v\":1,\"id\":\"training\",\"ok\":true,\"status\":" + ControlJson.write(sample) + "}\n";
            client.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // The client then times out; the training goes on without this part.
        }
    }
}
