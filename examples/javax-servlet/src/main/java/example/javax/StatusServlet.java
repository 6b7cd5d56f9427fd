package example.javax;

import java.io.IOException;
import javax.servlet.ServletContext;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** {@code GET /status}: whether the container ran the listener and started HelloServlet at deployment. */
@WebServlet("/status")
public class StatusServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletContext context = getServletContext();
        boolean listener = Boolean.TRUE.equals(context.getAttribute(ContextListener.INITIALIZED));
        boolean hello = Boolean.TRUE.equals(context.getAttribute(HelloServlet.INITIALIZED));
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().print("listener=" + listener + " hello-initialized=" + hello + "\n");
    }
}
