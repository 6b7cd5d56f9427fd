package example.jersey;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Found by the container's annotation scan: marks every response, Jersey's and static files' alike. */
@WebFilter("/*")
public class ExampleFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Set before the chain runs: once the body is written the response may be committed.
        response.setHeader("X-Example-Filter", "jersey");
        chain.doFilter(request, response);
    }
}
