package example.jersey;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/** Found by the container's annotation scan (web.xml does not name it); {@code /api/listener} reports it ran. */
@WebListener
public class ExampleContextListener implements ServletContextListener {

    static final String ATTRIBUTE = "example.jersey.contextInitialized";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        event.getServletContext().setAttribute(ATTRIBUTE, Boolean.TRUE);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(ATTRIBUTE);
    }
}
