package example.spring;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** A plain Servlet filter (registered in {@link WebConfig}) that proves filters run in front of the app. */
public class ExampleFilter implements Filter {

    static final String HEADER = "X-Example-Filter";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Set before the chain runs: once the app has written its body the response may be committed.
        ((HttpServletResponse) response).setHeader(HEADER, "spring");
        chain.doFilter(request, response);
    }
}
