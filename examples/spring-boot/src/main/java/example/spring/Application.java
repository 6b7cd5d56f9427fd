package example.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.support.SpringBootServletInitializer;

/**
 * The app's entry point, both ways it can run.
 *
 * <p>Extending {@link SpringBootServletInitializer} lets an external Servlet container start it from the
 * WAR (through Spring's {@code SpringServletContainerInitializer}); {@link #main} starts it with the
 * embedded Tomcat kept in {@code WEB-INF/lib-provided} when run as {@code java -jar spring-boot-example.war}.
 */
@SpringBootApplication
public class Application extends SpringBootServletInitializer {

    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
    }

    @Override
    protected SpringApplicationBuilder configure(SpringApplicationBuilder builder) {
        // An external container calls this instead of main: name the same configuration class.
        return builder.sources(Application.class);
    }
}
