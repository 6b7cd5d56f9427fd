package dev.gunicornjvm.common.logging;

import java.util.Locale;
import java.util.function.Consumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractOutputStreamAppender;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Log4j 2 set up in code, the same way in master and workers, with Gunicorn's line format:
 * {@code [2026-11-28 06:15:58 +0000] [20682] [INFO] Listening at: http://127.0.0.1:8000 (20682)}.
 *
 * <p>{@link #reopen()} rebuilds the configuration, which closes every file appender and opens the
 * files again by name: after logrotate renames a file, the next line goes to a new file of the old name.
 */
public final class Logging {
    /** The logger the access log is written to; its lines are already formatted. */
    public static final String ACCESS_LOGGER = "gunicorn.access";
    /**
     * The pid is written into the pattern, not looked up by {@code %pid}: Log4j finds that through JMX
     * (ManagementFactory, about 100 classes more at every worker's boot).
     */
    private static final String ERROR_PATTERN = "[%d{yyyy-MM-dd HH:mm:ss Z}] [" + ProcessHandle.current().pid()
            + "] [%level{WARN=WARNING, FATAL=CRITICAL}] %msg%n";

    private static final int ACCESS_BUFFER_BYTES = 16 * 1024;
    private static final LogSettings BEFORE_CONFIGURE = new LogSettings(LogSettings.STREAM, null, "info");
    private static volatile LogSettings current;
    private static volatile int reopenings;
    /** True once Log4j has started (with {@link #initialConfiguration}). */
    private static volatile boolean started;
    /** Told the Gunicorn level of each line at WARNING or above (for StatsD), or null. */
    private static volatile Consumer<String> warnings;

    private Logging() {
    }

    /**
     * Logs to the given files at the given level from now on. Called before anything else logs (as
     * workers do), it is Log4j's first and only configuration; later, it replaces the one in use.
     */
    public static void configure(LogSettings settings) {
        current = settings;
        if (started) {
            Configurator.reconfigure(build(settings));
        } else {
            LogManager.getContext(false); // starts Log4j, which asks GunicornConfigurationFactory
        }
        countWarningsInUse();
    }

    /**
     * From now on tells {@code listener} of every line logged at WARNING or above, by Gunicorn's name of
     * its level ({@code critical}, {@code exception}, {@code error}, {@code warning}); null stops it.
     * Lines the log level leaves out are not counted.
     */
    public static void countWarnings(Consumer<String> listener) {
        warnings = listener;
        countWarningsInUse();
    }

    /**
     * Adds the counting appender to the configuration in use, once: a configuration built by a reopen or
     * reload gets it again. Not a plugin in {@link #build}, which would make Log4j scan for plugins.
     */
    private static void countWarningsInUse() {
        if (warnings == null || !started) {
            return;
        }
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        if (configuration.getAppender(WarningCounter.NAME) != null) {
            return;
        }
        WarningCounter counter = new WarningCounter(level -> {
            Consumer<String> listener = warnings;
            if (listener != null) {
                listener.accept(level);
            }
        });
        counter.start();
        configuration.addAppender(counter);
        configuration.getRootLogger().addAppender(counter, Level.WARN, null);
        context.updateLoggers();
    }

    /** What Log4j starts with: the settings given so far, else stderr at INFO. */
    static Configuration initialConfiguration() {
        started = true;
        return build(current != null ? current : BEFORE_CONFIGURE);
    }

    /** Writes out the access log's buffered lines; see {@link #build}. */
    public static void flushAccessLog() {
        if (!started || current == null || current.accessLog() == null) {
            return;
        }
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        if (context.getConfiguration().getAppender("access") instanceof AbstractOutputStreamAppender<?> access) {
            access.getManager().flush();
        }
    }

    public static void reopen() {
        if (current != null) {
            reopenings++;
            Configurator.reconfigure(build(current));
            countWarningsInUse();
        }
    }

    /** Maps Gunicorn's level names to Log4j's; rejects anything else. */
    public static Level level(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "debug": return Level.DEBUG;
            case "info": return Level.INFO;
            case "warning": case "warn": return Level.WARN;
            case "error": return Level.ERROR;
            case "critical": return Level.FATAL;
            default: throw new IllegalArgumentException(
                    "unknown log level '" + name + "' (use debug, info, warning, error or critical)");
        }
    }

    private static Configuration build(LogSettings settings) {
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setStatusLevel(Level.ERROR);
        b.setConfigurationName("gunicorn");
        b.add(appender(b, "error", settings.errorLog(), ConsoleAppender.Target.SYSTEM_ERR, ERROR_PATTERN));
        b.add(b.newRootLogger(level(settings.level())).add(b.newAppenderRef("error")));
        // Jetty is chatty at INFO; its warnings still reach the error log.
        b.add(b.newLogger("org.eclipse.jetty", Level.WARN));
        // A bad PROXY header is said in one line by the worker's ProxyHeaderFailures, without Jetty's dump.
        b.add(b.newLogger("org.eclipse.jetty.server.ProxyConnectionFactory", Level.ERROR));
        if (settings.accessLog() != null) {
            // Buffered, as nginx's "access_log ... buffer= flush=": a write per line, under a lock every request
            // thread takes, cost a fifth of keep-alive throughput. Workers flush it with each heartbeat (at most
            // a second apart) and before they exit (flushAccessLog), and Log4j whenever the buffer fills.
            b.add(appender(b, "access", settings.accessLog(), ConsoleAppender.Target.SYSTEM_OUT, "%msg%n")
                    .addAttribute("immediateFlush", false).addAttribute("bufferedIO", true)
                    .addAttribute("bufferSize", ACCESS_BUFFER_BYTES));
            b.add(b.newLogger(ACCESS_LOGGER, Level.INFO).add(b.newAppenderRef("access"))
                    .addAttribute("additivity", false));
        } else {
            b.add(b.newLogger(ACCESS_LOGGER, Level.OFF).addAttribute("additivity", false));
        }
        return b.build(false);
    }

    /**
     * Log4j shares one open file per file name across configurations, so a new configuration naming the
     * same file would keep writing to the renamed one. Every other reopening spells the path with an
     * extra "/./": the same file for the kernel, a new name for Log4j, so the new configuration opens
     * it afresh and the switch to it is atomic.
     */
    private static String spelling(String file) {
        if (reopenings % 2 == 0) {
            return file;
        }
        java.io.File f = new java.io.File(file);
        return f.getParent() == null ? "./" + f.getName() : f.getParent() + "/./" + f.getName();
    }

    private static AppenderComponentBuilder appender(ConfigurationBuilder<BuiltConfiguration> b, String name,
                                                     String target, ConsoleAppender.Target stream, String pattern) {
        AppenderComponentBuilder appender;
        if (target == null || target.equals(LogSettings.STREAM)) {
            appender = b.newAppender(name, "Console").addAttribute("target", stream);
        } else {
            appender = b.newAppender(name, "File").addAttribute("fileName", spelling(target))
                    .addAttribute("append", true).addAttribute("immediateFlush", true);
        }
        return appender.add(b.newLayout("PatternLayout").addAttribute("pattern", pattern));
    }
}
