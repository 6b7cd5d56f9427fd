package dev.gunicornjvm.master.config;

import jakarta.servlet.GenericServlet;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/** An app for the checks that load APP: found on the test classes directory. */
public class TestServlet extends GenericServlet {
    private static final long serialVersionUID = 1L;

    @Override
    public void service(ServletRequest request, ServletResponse response) {
    }
}
