package example.spring;

import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Refuses to start when {@code app.fail-on-start=true}, and says so in the log when the app did start.
 *
 * <p>The check runs in {@code @PostConstruct} so that it fails the application context's refresh itself:
 * that is what a broken deployment looks like to the container (the app never becomes available).
 */
@Component
public class StartupCheck {

    private static final Logger log = LoggerFactory.getLogger(StartupCheck.class);

    private final String version;
    private final boolean failOnStart;

    public StartupCheck(@Value("${app.version}") String version,
                        @Value("${app.fail-on-start:false}") boolean failOnStart) {
        this.version = version;
        this.failOnStart = failOnStart;
    }

    @PostConstruct
    void check() {
        if (failOnStart) {
            throw new IllegalStateException(
                    "app.fail-on-start is set: refusing to start (version " + version + ")");
        }
    }

    /** Logged once the context is refreshed and the app is ready to serve, not before. */
    @EventListener(ApplicationReadyEvent.class)
    void started() {
        log.info("Spring Boot example started (version {})", version);
    }
}
