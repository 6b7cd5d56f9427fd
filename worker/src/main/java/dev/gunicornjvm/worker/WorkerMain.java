package dev.gunicornjvm.worker;

import dev.gunicornjvm.common.app.AppLoader;
import dev.gunicornjvm.common.logging.LogSettings;
import dev.gunicornjvm.common.logging.Logging;
import dev.gunicornjvm.common.pipe.WorkerFds;
import dev.gunicornjvm.common.pipe.WorkerMessage;
import dev.gunicornjvm.common.posix.Posix;
import dev.gunicornjvm.common.posix.ProcessTitle;
import dev.gunicornjvm.common.process.ExitCodes;
import dev.gunicornjvm.common.process.ProcessRole;
import dev.gunicornjvm.common.process.WorkerSettings;
import dev.gunicornjvm.common.signals.Signal;
import dev.gunicornjvm.common.signals.SignalReceiver;
import dev.gunicornjvm.worker.app.AppDeployer;
import dev.gunicornjvm.worker.edge.ConnectionFactories;
import dev.gunicornjvm.common.instrument.RequestLogSettings;
import dev.gunicornjvm.common.statsd.Statsd;
import dev.gunicornjvm.worker.http.AccessLog;
import dev.gunicornjvm.worker.hooks.WorkerHooks;
import dev.gunicornjvm.worker.http.HttpServer;
import dev.gunicornjvm.worker.http.RequestMetrics;
import dev.gunicornjvm.worker.http.RequestLimits;
import dev.gunicornjvm.worker.link.MasterLink;
import dev.gunicornjvm.worker.metrics.WorkerMetrics;
import dev.gunicornjvm.worker.sessions.SessionStores;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A worker JVM: boots the app on the inherited listeners, tells the master when it accepts, and then
 * does what its signals say: TERM/INT stop at once, QUIT drains and stops, USR1 reopens the logs.
 */
public final class WorkerMain {
    /**
     * Obtained at first use, after {@link Logging#configure}: a logger obtained earlier would start
     * Log4j with a default configuration, to be replaced at once.
     */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger("gunicorn.error");
    }

    private final WorkerOptions options;
    /** The settings as the master wrote them; {@link #options} holds the ones the worker converts. */
    private final WorkerSettings settings;
    private final CountDownLatch quit = new CountDownLatch(1);
    /** A standby (started so by the master) boots, warms up, and accepts only once promoted. */
    private final boolean standby = Boolean.getBoolean(WorkerFds.STANDBY_PROPERTY);
    private final CountDownLatch promoted = new CountDownLatch(1);
    private Thread nativeInit;
    private final long pid = ProcessHandle.current().pid();
    private MasterLink master;
    private volatile HttpServer http;
    /** --max-requests plus this worker's own jitter (as Gunicorn does), so that workers recycle apart. */
    private final long requestLimit;
    private boolean recycleAsked;
    private volatile boolean listening;
    /** Null unless the master serves metrics (--metrics-bind). */
    private final WorkerMetrics metrics;
    private volatile WorkerHooks hooks = WorkerHooks.NONE;

    private WorkerMain(WorkerOptions options) {
        this.options = options;
        this.settings = options.settings;
        this.requestLimit = settings.maxRequests() <= 0 ? 0
                : settings.maxRequests() + java.util.concurrent.ThreadLocalRandom.current().nextLong(settings.maxRequestsJitter() + 1);
        this.metrics = settings.metrics() ? new WorkerMetrics() : null;
    }

    public static void main(String[] args) {
        WorkerOptions options = null;
        try {
            options = WorkerOptions.read(args);
        } catch (IllegalArgumentException e) {
            System.err.println("gunicorn-worker: " + e.getMessage() + " (workers are started by the master)");
            System.exit(ExitCodes.WORKER_BOOT_ERROR);
        }
        System.exit(new WorkerMain(options).run());
    }

    private int run() {
        // The TLS keys are the master's files: read them while this process still may.
        ConnectionFactories protocols = null;
        String keysFailed = null;
        try {
            protocols = new ConnectionFactories(settings.edge());
        } catch (RuntimeException e) {
            keysFailed = oneLine(rootCause(e));
        }
        if (settings.uid() != null) {
            // Before anything opens a file or loads the app: the app never runs as root. The listeners
            // and pipes are already open, and stay usable.
            Posix.get().becomeUser(settings.uid(), settings.gid());
        }
        master = new MasterLink(options.listeners.size());
        master.watchLifeline(promoted::countDown, this::masterGone);
        master.everyInterval(settings.heartbeatMillis(), () -> {
            heartbeat();
            Logging.flushAccessLog(); // after the beat: a slow disk must not look like a stuck worker
        });
        Logging.configure(new LogSettings(settings.errorLog(), settings.accessLog(), settings.logLevel()));
        javaLoggingLikeOurs();
        if (settings.train()) {
            Log.LOG.debug("Training the workers' class-data sharing archive (pid: {})", pid);
        } else if (settings.check()) {
            Log.LOG.debug("Checking the app (pid: {})", pid);
        } else if (standby) {
            Log.LOG.info("Booting standby worker with pid: {}", pid);
        } else {
            Log.LOG.info("Booting worker with pid: {}", pid);
        }
        // jnr-ffi takes a few hundred ms to load: do it beside Jetty's start-up, not before it.
        // Signals sent meanwhile stay pending, since they are blocked in every thread.
        nativeInit = new Thread(this::startSignals, "native-init");
        nativeInit.start();

        if (keysFailed != null) {
            return bootFailed(ExitCodes.WORKER_BOOT_ERROR, keysFailed);
        }
        try {
            hooks = WorkerHooks.load(settings.hooks(), settings.appClasspath(), pid);
        } catch (IllegalArgumentException e) {
            return bootFailed(ExitCodes.WORKER_BOOT_ERROR, e.getMessage());
        }
        hooks.postFork();
        HttpServer server;
        AppDeployer.Deployment deployment;
        try {
            server = new HttpServer(options.listeners, protocols, settings.threads(), settings.keepAlive(),
                    RequestLimits.parse(settings.limits(), options.headerMap), standby);
            requestLogs(server);
            if (metrics != null) {
                server.addRequestLog(metrics.requestLog());
            }
            SessionStores.install(server.server(), settings.sessionStore());
            deployment = deployer().deploy(options.appSpec(pid), server.server());
        } catch (AppLoader.AppLoadException e) {
            return bootFailed(ExitCodes.APP_LOAD_ERROR, e.getMessage());
        } catch (Exception e) {
            return bootFailed(ExitCodes.WORKER_BOOT_ERROR, "cannot start " + settings.title() + ": " + oneLine(rootCause(e)));
        }
        try {
            server.setApp(hooks.wrap(deployment.handler()));
            listening = !standby; // from here on a QUIT must drain: Jetty may accept as soon as it starts
            server.start();
            http = server; // only now: the heartbeat probes its thread pool, which must be running
        } catch (Exception e) {
            // The app's deployment failed (a web.xml that does not parse, an initializer or init() that
            // throws): the app's fault, as Gunicorn's APP_LOAD_ERROR; anything else is the worker's.
            boolean appFault = deployment.handler().isFailed();
            return bootFailed(appFault ? ExitCodes.APP_LOAD_ERROR : ExitCodes.WORKER_BOOT_ERROR,
                    "cannot start " + settings.title() + ": " + oneLine(rootCause(e)));
        }
        if (settings.train()) {
            return train();
        }
        hooks.postWorkerInit();
        if (settings.check()) {
            System.out.print(deployment.report().render());
            System.out.flush();
            Runtime.getRuntime().halt(ExitCodes.OK);
        }
        if (standby) {
            standBy(server);
        }
        master.send(new WorkerMessage.Ready());
        return serveUntilQuit();
    }

    /**
     * The access log, when there is one, and the StatsD metrics of requests and log lines, when there is a
     * StatsD host: not for the training and check runs, which serve nobody. StatsD's client is loaded
     * only then.
     */
    private void requestLogs(HttpServer server) {
        RequestLogSettings requestLog = settings.requestLog();
        if (settings.accessLog() != null) {
            server.addRequestLog(new AccessLog(requestLog.format(), requestLog.accessLogJson(), pid));
        }
        if (requestLog.statsd() != null && !settings.train() && !settings.check()) {
            Statsd.configure(requestLog.statsd());
            server.addRequestLog(new RequestMetrics(Statsd.sink()));
        }
    }

    /**
     * A standby warms up, tells the master, and waits for its promotion; then it is a worker like any
     * other. Until then a QUIT or TERM ends it at once: it has accepted nothing.
     */
    private void standBy(HttpServer server) {
        try {
            Log.LOG.debug("Standby warm-up {}: {}", options.warmupPath(), server.warmUp(options.warmupPath()));
        } catch (Exception e) {
            Log.LOG.warn("Standby warm-up request to {} failed: {}", options.warmupPath(), oneLine(e));
        }
        // What booting and the warm-up left behind goes now, and the heap shrinks back
        // (-XX:MaxHeapFreeRatio): a parked standby holds about what an idle worker does (in the
        // benchmark 1-2 MB more: the state and compiled code of its first request).
        System.gc();
        master.send(new WorkerMessage.Standby());
        try {
            promoted.await();
            nativeInit.join(); // it sets the standby's title: ours must come after
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit(ExitCodes.OK);
        }
        listening = true;
        server.accept();
        ProcessTitle.set(ProcessRole.WORKER.title(settings.title()));
    }

    /**
     * Apps that log with java.util.logging (Jersey does) write to stderr, the error log: one line each,
     * in the error log's own format, instead of JUL's default of two lines, unless the user's
     * --worker-java-opts chose a format.
     */
    private void javaLoggingLikeOurs() {
        String format = "java.util.logging.SimpleFormatter.format";
        if (System.getProperty(format) == null) {
            System.setProperty(format, "[%1$tY-%1$tm-%1$td %1$tH:%1$tM:%1$tS %1$tz] [" + pid + "] [%4$s] %3$s: %5$s%6$s%n");
        }
    }

    /** The one Servlet environment on this worker's class path (the master puts exactly one there). */
    private static AppDeployer deployer() {
        return ServiceLoader.load(AppDeployer.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no Servlet environment on the worker's class path (the master adds lib/ee11, lib/ee10 or lib/ee8)"));
    }

    /**
     * What --timeout watches. While booting, a beat only says the JVM runs. Once serving, a beat also
     * says that the request thread pool still runs tasks: a worker whose every request thread is stuck
     * (a deadlock, a dead database with no timeouts) falls silent and is replaced, while one slow request
     * among free threads does not. A JVM that stalls as a whole (GC thrashing, a safepoint that never
     * ends) stops this thread too.
     */
    private void heartbeat() {
        HttpServer server = http;
        if (server == null) {
            master.send(new WorkerMessage.Heartbeat(0));
            return;
        }
        if (!server.progressing(2 * settings.heartbeatMillis())) {
            return;
        }
        long served = server.served();
        master.send(new WorkerMessage.Heartbeat(served));
        if (metrics != null) {
            master.send(metrics.sample(server.threadPool())); // only beside a beat: a stuck worker stays silent
        }
        if (!recycleAsked && requestLimit > 0 && served >= requestLimit) {
            recycleAsked = true;
            Log.LOG.info("Autorestarting worker after {} requests (--max-requests)", served);
            master.send(new WorkerMessage.Recycle(served));
        }
    }

    private void startSignals() {
        Posix posix = Posix.get();
        SignalReceiver.start(posix, received -> Signal.ofNumber(received.number()).ifPresent(this::onSignal));
        ProcessRole role = settings.train() ? ProcessRole.CDS_TRAINING : settings.check() ? ProcessRole.CHECK
                : standby ? ProcessRole.STANDBY : ProcessRole.WORKER;
        ProcessTitle.set(role.title(settings.title())); // only workers are titled worker
    }

    /**
     * Runs on the signal thread, so that TERM and USR1 act at once whatever the main thread is doing
     * (booting, or draining after a QUIT). Only the drain itself is left to the main thread.
     */
    private void onSignal(Signal signal) {
        switch (signal) {
            case TERM, INT -> {
                hooks.workerInt();
                exit(ExitCodes.OK);
            }
            case QUIT -> {
                if (!listening) {
                    exit(ExitCodes.OK); // still booting: nothing accepted, nothing to drain
                }
                quit.countDown();
            }
            case USR1 -> {
                Logging.reopen();
                Log.LOG.info("Reopened log files");
            }
            default -> Log.LOG.debug("Ignoring signal {} (workers act on TERM, INT, QUIT and USR1)", signal.logName());
        }
    }

    /** Serves until QUIT, then drains: in-flight requests finish, then the app is destroyed. */
    private int serveUntilQuit() {
        try {
            quit.await();
            if (!http.drain(settings.gracefulTimeout() * 1000L)) {
                Log.LOG.warn("Graceful timeout ({} s) reached with requests in flight", settings.gracefulTimeout());
            }
            http.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Log.LOG.warn("Error while stopping the app: {}", e.toString());
        }
        return exit(ExitCodes.OK);
    }

    /** Exits normally, not by halt: the JVM writes its class-data sharing archive on the way out. */
    private int train() {
        try {
            Training.exercise(http, options.listeners.get(0), options.warmupPath());
            http.stop();
        } catch (Exception e) {
            Log.LOG.warn("Class-data sharing training failed: {}", e.toString());
            Runtime.getRuntime().halt(ExitCodes.WORKER_BOOT_ERROR); // no archive from a run that failed
        }
        Logging.flushAccessLog();
        System.exit(ExitCodes.OK);
        return ExitCodes.OK;
    }

    private int exit(int code) {
        Log.LOG.info("Worker exiting (pid: {})", pid);
        Logging.flushAccessLog();
        // halt, not exit: there is nothing left worth a shutdown hook, and TERM must be quick.
        Runtime.getRuntime().halt(code);
        return code;
    }

    private int bootFailed(int code, String reason) {
        Log.LOG.error("Worker failed to boot: {}", reason);
        master.send(new WorkerMessage.BootFailed(code, reason));
        return exit(code);
    }

    /**
     * The master died (kill -9, a crash): stop accepting at once, and let the requests this worker already
     * took finish, as on QUIT, within --graceful-timeout. Halting here instead would reset every
     * connection this worker had accepted, while the listener may well live on: during an upgrade the new
     * master holds it, and its workers take over what is still queued. A worker still booting has taken
     * nothing, and the training and check runs serve no client, so those halt.
     */
    private void masterGone() {
        Log.LOG.info("Parent changed, shutting down: worker (pid: {})", pid);
        if (!listening || settings.train() || settings.check()) {
            Runtime.getRuntime().halt(ExitCodes.OK);
        }
        quit.countDown();
    }

    /** A reason fit for one log line: the exception and its message, without line breaks. */
    private static String oneLine(Throwable t) {
        return t.toString().strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
