package example.spring;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Instant;

/**
 * A plain Servlet context listener (registered in {@link WebConfig}): it records when the container
 * initialized it, and {@code GET /listener} reports that.
 */
public class ExampleContextListener implements ServletContextListener {

    /** ServletContext attribute holding the instant (a String, ISO-8601) contextInitialized ran. */
    static final String INITIALIZED_AT = "example.spring.contextInitializedAt";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        event.getServletContext().setAttribute(INITIALIZED_AT, Instant.now().toString());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(INITIALIZED_AT);
    }
}
