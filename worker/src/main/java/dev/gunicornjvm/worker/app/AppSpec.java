package dev.gunicornjvm.worker.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The app a worker serves, as the master describes it.
 *
 * @param contextPath    where it is mounted (--root-path), "/" for the root
 * @param initParameters --init-param: the servlet's init parameters in the single-Servlet form, the
 *                       context's (which override web.xml's context-params) for a webapp
 */
public record AppSpec(Source source, String contextPath, Map<String, String> initParameters) {
    public AppSpec {
        initParameters = Map.copyOf(initParameters);
    }

    /** What to deploy. */
    public sealed interface Source permits ServletClass, Webapp {
    }

    /** One Servlet class, from jars and directories of its own, mapped to every path. */
    public record ServletClass(String className, List<Path> classpath) implements Source {
        public ServletClass {
            classpath = List.copyOf(classpath);
        }
    }

    /**
     * A webapp directory (a WAR the master unpacked, or one given as a directory).
     *
     * @param extraClasspath -cp entries added to the webapp's own WEB-INF/classes and WEB-INF/lib
     * @param hiddenClasses  Jetty class-matcher patterns of the server's own libraries, which the app
     *                       must not see
     * @param workDirectory  the webapp's scratch directory (Jetty's temp directory), private to this worker
     */
    public record Webapp(Path directory, List<Path> extraClasspath, List<String> hiddenClasses, Path workDirectory)
            implements Source {
        public Webapp {
            extraClasspath = List.copyOf(extraClasspath);
            hiddenClasses = List.copyOf(hiddenClasses);
        }
    }
}
