package example.spring;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the plain Servlet components with the container, the Spring Boot way: these beans are applied
 * to the ServletContext both by the embedded Tomcat and by an external container starting the WAR.
 */
@Configuration(proxyBeanMethods = false)
public class WebConfig {

    @Bean
    FilterRegistrationBean<ExampleFilter> exampleFilter() {
        FilterRegistrationBean<ExampleFilter> registration = new FilterRegistrationBean<>(new ExampleFilter());
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    ServletListenerRegistrationBean<ExampleContextListener> exampleContextListener() {
        return new ServletListenerRegistrationBean<>(new ExampleContextListener());
    }
}
