package example.javax;

import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;
import javax.servlet.annotation.WebListener;

/** Found by annotation scanning; records that the container ran it, for {@code /status}. */
@WebListener
public class ContextListener implements ServletContextListener {

    /** ServletContext attribute set when the container initialized the context. */
    static final String INITIALIZED = "listenerInitialized";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        event.getServletContext().setAttribute(INITIALIZED, Boolean.TRUE);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(INITIALIZED);
    }
}
