package example.javax;

import java.io.IOException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

/** {@code GET /counter}: a per-session counter. Found by annotation scanning, not declared in web.xml. */
@WebServlet("/counter")
public class CounterServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(true);
        int count;
        // Serialize concurrent requests of one client: the container hands them the same session object.
        synchronized (session) {
            Integer previous = (Integer) session.getAttribute("count");
            count = previous == null ? 1 : previous + 1;
            session.setAttribute("count", count);
        }
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().print("count=" + count + " worker=" + HelloServlet.PID + "\n");
    }
}
