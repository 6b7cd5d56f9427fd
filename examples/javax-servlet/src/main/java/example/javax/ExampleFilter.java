package example.javax;

import java.io.IOException;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.http.HttpFilter;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** Declared in web.xml for {@code /*}: marks every response, servlets' and static files' alike. */
public class ExampleFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Set before the chain runs: once the body is written the response may be committed.
        response.setHeader("X-Example-Filter", "javax");
        chain.doFilter(request, response);
    }
}
