package example.javax;

import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * {@code GET /hello}: which worker JVM (process id) answered. Declared in web.xml with load-on-startup, so the
 * container creates it at deployment: {@link #init()} records that, and {@code /status} reports it.
 */
public class HelloServlet extends HttpServlet {

    static final long PID = ProcessHandle.current().pid();

    /** ServletContext attribute set when the container initialized this servlet. */
    static final String INITIALIZED = "helloInitialized";

    @Override
    public void init() throws ServletException {
        getServletContext().setAttribute(INITIALIZED, Boolean.TRUE);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().print("Hello from worker " + PID + " (version 1)\n");
    }
}
