package example.jersey;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;

/** {@code GET /api/listener}: whether the container found and ran the annotated {@link ExampleContextListener}. */
@Path("listener")
public class ListenerResource {

    @Context
    private ServletContext servletContext;

    @GET
    @Produces("text/plain;charset=UTF-8")
    public String listener() {
        boolean initialized = Boolean.TRUE.equals(servletContext.getAttribute(ExampleContextListener.ATTRIBUTE));
        return "contextInitialized=" + initialized + "\n";
    }
}
