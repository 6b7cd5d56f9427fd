package example.jersey;

import jakarta.ws.rs.ApplicationPath;
import java.util.logging.Logger;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.server.spi.AbstractContainerLifecycleListener;
import org.glassfish.jersey.server.spi.Container;

/**
 * The Jakarta REST application. Jersey's ServletContainerInitializer finds it through {@link ApplicationPath}
 * and maps its servlet to {@code /api/*}: there is no Jersey servlet in web.xml.
 */
@ApplicationPath("/api")
public class ExampleApplication extends ResourceConfig {

    private static final Logger LOG = Logger.getLogger(ExampleApplication.class.getName());

    public ExampleApplication() {
        // Every resource of the app lives in this package.
        packages(ExampleApplication.class.getPackage().getName());
        // No WADL: it would need a JAXB implementation, and without one Jersey warns at every start.
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        // Logged through java.util.logging, as Jersey itself logs, once Jersey has really started.
        register(new AbstractContainerLifecycleListener() {
            @Override
            public void onStartup(Container container) {
                LOG.info("Jersey example started");
            }
        });
    }
}
