package dev.gunicornjvm.common.logging;

import java.net.URI;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;

/**
 * Log4j's first configuration, named in log4j2.component.properties: Gunicorn's format with the
 * settings {@link Logging#configure} was given, or stderr at INFO before that. It saves a worker's
 * boot Log4j's search for config files and a default configuration that would be replaced at once.
 */
public final class GunicornConfigurationFactory extends ConfigurationFactory {
    @Override
    protected String[] getSupportedTypes() {
        return new String[] {"*"};
    }

    @Override
    public Configuration getConfiguration(LoggerContext loggerContext, String name, URI configLocation) {
        return Logging.initialConfiguration();
    }

    @Override
    public Configuration getConfiguration(LoggerContext loggerContext, ConfigurationSource source) {
        return Logging.initialConfiguration();
    }
}
