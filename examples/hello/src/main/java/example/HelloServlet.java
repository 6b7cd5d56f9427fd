package example;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Says which worker answered, so a person can watch reloads and graceful stops:
 * <pre>
 *   curl localhost:8000/            Hello from worker 20703 (version 1)
 *   curl localhost:8000/?sleep=5    the same, after five seconds (a slow request to watch a QUIT drain)
 * </pre>
 * Change {@code VERSION}, rebuild, and reload or upgrade the server to see the new code served.
 */
public class HelloServlet extends HttpServlet {
    static final String VERSION = "1";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sleep = request.getParameter("sleep");
        if (sleep != null) {
            // Said on stderr (the server's error log) so that a person, or a test, sees the request in flight.
            System.err.println("hello: request sleeping " + sleep + " s in worker " + ProcessHandle.current().pid());
            try {
                Thread.sleep((long) (Double.parseDouble(sleep) * 1000));
            } catch (NumberFormatException e) {
                response.sendError(400, "sleep must be a number of seconds");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().println("Hello from worker " + ProcessHandle.current().pid() + " (version " + VERSION + ")");
    }

    /** Said on stderr too: a graceful stop ends with the app's destroy(), as a servlet container should. */
    @Override
    public void destroy() {
        System.err.println("hello: destroyed in worker " + ProcessHandle.current().pid());
    }
}
