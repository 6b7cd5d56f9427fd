package dev.gunicornjvm.master.config;

/**
 * Reads the settings again from the same sources the master started with (the config file as it is on
 * disk now, GUNICORN_CMD_ARGS and the original command line, in that order of precedence). Used on HUP.
 */
@FunctionalInterface
public interface SettingsReloader {
    /** @throws IllegalArgumentException with a one-line reason when the settings no longer parse or validate */
    Settings reload();
}
