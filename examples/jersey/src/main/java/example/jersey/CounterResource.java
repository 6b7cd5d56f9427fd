package example.jersey;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;

/** {@code GET /api/counter}: a per-session counter, kept in the Servlet container's HttpSession. */
@Path("counter")
public class CounterResource {

    @GET
    @Produces("text/plain;charset=UTF-8")
    public String counter(@Context HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        int count;
        // Serialize concurrent requests of one client: the container hands them the same session object.
        synchronized (session) {
            Integer previous = (Integer) session.getAttribute("count");
            count = previous == null ? 1 : previous + 1;
            session.setAttribute("count", count);
        }
        return "count=" + count + " worker=" + HelloResource.PID + "\n";
    }
}
