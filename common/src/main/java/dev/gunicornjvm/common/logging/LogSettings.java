package dev.gunicornjvm.common.logging;

/**
 * Where a process logs. {@code "-"} means stderr for the error log and stdout for the access log, as in
 * Gunicorn; {@code null} access log means no access log.
 *
 * @param level one of Gunicorn's names: debug, info, warning, error, critical
 */
public record LogSettings(String errorLog, String accessLog, String level) {
    public static final String STREAM = "-";

    /** The file a log setting names, or null when it is a stream or unset. */
    public static String fileOrNull(String log) {
        return log == null || log.equals(STREAM) ? null : log;
    }
}
