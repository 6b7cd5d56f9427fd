package example.jersey;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** {@code GET /api/hello}: which worker JVM (process id) answered. */
@Path("hello")
public class HelloResource {

    static final long PID = ProcessHandle.current().pid();

    @GET
    @Produces("text/plain;charset=UTF-8")
    public String hello() {
        return "Hello from worker " + PID + " (version 1)\n";
    }
}
