package example.spring;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.net.URL;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.WebUtils;

/** The app's endpoints; each says which worker JVM (process id) answered. */
@RestController
public class ExampleController {

    private static final long PID = ProcessHandle.current().pid();

    /** Classes whose origin {@code GET /libraries} reports: the app's own, the server's, and ones it must not see. */
    private static final List<String> LIBRARY_CLASSES = List.of(
            "org.slf4j.LoggerFactory",
            "ch.qos.logback.classic.Logger",
            "tools.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.annotation.JsonProperty",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "org.apache.logging.log4j.LogManager",
            "picocli.CommandLine",
            "jnr.ffi.LibraryLoader",
            "dev.gunicornjvm.worker.WorkerMain",
            "org.eclipse.jetty.server.Server");

    record Hello(String message, long worker, String version) {}

    record Count(int count, long worker, String session) {}

    record Listener(boolean contextInitialized, String at) {}

    record Problem(String error) {}

    private final String version;
    private final ServletContext servletContext;

    public ExampleController(@Value("${app.version}") String version, ServletContext servletContext) {
        this.version = version;
        this.servletContext = servletContext;
    }

    /** {@code ?sleep=SECONDS} (decimal) answers that much later: a slow request, for graceful-shutdown tests. */
    @GetMapping("/hello")
    public ResponseEntity<?> hello(@RequestParam(required = false) String sleep) throws InterruptedException {
        if (sleep != null) {
            double seconds;
            try {
                seconds = Double.parseDouble(sleep);
            } catch (NumberFormatException e) {
                seconds = Double.NaN;
            }
            if (!Double.isFinite(seconds) || seconds < 0) {
                return ResponseEntity.badRequest()
                        .body(new Problem("sleep must be a number of seconds, not '" + sleep + "'"));
            }
            Thread.sleep(Math.round(seconds * 1000));
        }
        return ResponseEntity.ok(new Hello(
                "Hello from worker " + PID + " (version " + version + ")", PID, version));
    }

    /** A per-session counter: asking for HttpSession makes Spring create the session. */
    @GetMapping("/counter")
    public Count counter(HttpSession session) {
        int count;
        // The session mutex serializes concurrent requests of one client on the same session.
        synchronized (WebUtils.getSessionMutex(session)) {
            Integer previous = (Integer) session.getAttribute("count");
            count = previous == null ? 1 : previous + 1;
            session.setAttribute("count", count);
        }
        return new Count(count, PID, session.getId());
    }

    /** Where each class came from, as seen by this app's class loader: shows how the WAR is isolated. */
    @GetMapping("/libraries")
    public Map<String, String> libraries() {
        ClassLoader loader = Application.class.getClassLoader();
        Map<String, String> origins = new LinkedHashMap<>();
        for (String name : LIBRARY_CLASSES) {
            origins.put(name, origin(name, loader));
        }
        origins.put("loader", loader == null ? "bootstrap" : loader.getClass().getName());
        return origins;
    }

    /** Whether the container ran {@link ExampleContextListener#contextInitialized}, and when. */
    @GetMapping("/listener")
    public Listener listener() {
        Object at = servletContext.getAttribute(ExampleContextListener.INITIALIZED_AT);
        return new Listener(at != null, at == null ? null : at.toString());
    }

    private static String origin(String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return "absent";
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        return location == null ? "unknown" : lastSegment(location.toString());
    }

    /**
     * The jar's file name, or the directory's path. Handles plain {@code file:} URLs as well as the nested
     * forms ({@code jar:file:...!/}, Boot's {@code jar:nested:/app.war/!WEB-INF/lib/x.jar!/}).
     */
    static String lastSegment(String url) {
        String s = url.startsWith("jar:") ? url.substring("jar:".length()) : url;
        while (s.endsWith("!/")) {
            s = s.substring(0, s.length() - 2);
        }
        if (s.endsWith("/")) {
            // A directory (e.g. WEB-INF/classes): its path, without the URL scheme.
            int colon = s.indexOf(':');
            return colon >= 0 && colon < s.indexOf('/') ? s.substring(colon + 1) : s;
        }
        return s.substring(s.lastIndexOf('/') + 1);
    }
}
