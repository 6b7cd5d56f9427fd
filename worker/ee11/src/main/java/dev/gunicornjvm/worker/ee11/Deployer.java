package dev.gunicornjvm.worker.ee11;

import dev.gunicornjvm.common.app.AppLoader;
import dev.gunicornjvm.common.app.ServletEnvironment;
import dev.gunicornjvm.worker.app.AppDeployer;
import dev.gunicornjvm.worker.app.AppSpec;
import dev.gunicornjvm.worker.app.DeploymentReport;
import jakarta.servlet.Servlet;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.ee11.servlet.BaseHolder;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee.webapp.WebAppClassLoading;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * Deploys an app in Jetty's ee11 environment. The build makes the ee10 and ee8 environments from this
 * same class by renaming packages in its bytecode, as Jetty makes its own ee8 sources from ee9's:
 * {@code org.eclipse.jetty.ee11} becomes {@code ee10} (worker/ee10), or {@code ee8} with
 * {@code jakarta.servlet} becoming {@code javax.servlet} (worker/ee8). The three APIs agree on every
 * call made here, so everything that differs stays out of this class: the handler it returns is a
 * core handler in ee10/ee11 and a nested one that supplies it in ee8 ({@link AppDeployer#coreHandler}),
 * and the classes hidden from webapps are set on the server, which all three read.
 */
public final class Deployer implements AppDeployer {
    /**
     * The default servlet's settings for production, unless the app or --init-param says otherwise:
     * ETags on (Jetty's default is off), so that clients revalidate static files cheaply, and no
     * directory listings (Jetty's default is on).
     */
    private static final Map<String, String> DEFAULT_SERVLET = Map.of(
            "org.eclipse.jetty.servlet.Default.etags", "true",
            "org.eclipse.jetty.servlet.Default.dirAllowed", "false");

    /** From the package, which the ee10 build renames: dev.gunicornjvm.worker.ee11 or .ee10. */
    @Override
    public ServletEnvironment environment() {
        return ServletEnvironment.valueOf(getClass().getPackageName()
                .substring(getClass().getPackageName().lastIndexOf('.') + 1).toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public Deployment deploy(AppSpec spec, Server server) throws Exception {
        ServletContextHandler context = spec.source() instanceof AppSpec.Webapp webapp ? webapp(webapp, spec, server)
                : servlet((AppSpec.ServletClass) spec.source(), spec);
        Handler handler = AppDeployer.coreHandler(context);
        String what = environment().describe() + ", context path " + spec.contextPath();
        return new Deployment() {
            @Override
            public Handler handler() {
                return handler;
            }

            @Override
            public DeploymentReport report() {
                return Deployer.report(what, context);
            }
        };
    }

    /** One Servlet mapped to every path, initialised at start so that a failing init() fails the boot. */
    private ServletContextHandler servlet(AppSpec.ServletClass app, AppSpec spec) throws AppLoader.AppLoadException {
        AppLoader.LoadedApp loaded = AppLoader.load(app.classpath(), app.className(), Servlet.class.getClassLoader(),
                List.of(environment()));
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath(spec.contextPath());
        context.setClassLoader(loaded.loader());
        @SuppressWarnings("unchecked")
        ServletHolder holder = new ServletHolder((Class<? extends Servlet>) loaded.servletClass());
        holder.setInitOrder(0);
        holder.setInitParameters(spec.initParameters());
        context.addServlet(holder, "/*");
        context.getServletHandler().setStartWithUnavailable(false);
        return context;
    }

    /**
     * A webapp directory with everything the Servlet spec promises (web.xml and fragments, annotations,
     * initializers, JNDI), in a class loader that prefers the app's own jars and cannot see the server's.
     */
    private static WebAppContext webapp(AppSpec.Webapp app, AppSpec spec, Server server) {
        WebAppContext context = new WebAppContext();
        context.setWar(app.directory().toString());
        context.setContextPath(spec.contextPath());
        context.setExtractWAR(false);
        context.setCopyWebDir(false);
        context.setCopyWebInf(false);
        context.setParentLoaderPriority(false);
        // Jetty would otherwise serve 503 from an app that failed to start, and the worker report ready.
        context.setThrowUnavailableOnStartupException(true);
        WebAppClassLoading.addHiddenClasses(server, app.hiddenClasses().toArray(String[]::new));
        if (app.workDirectory() != null) {
            context.setTempDirectory(app.workDirectory().toFile());
        }
        if (!app.extraClasspath().isEmpty()) {
            context.setExtraClasspath(app.extraClasspath().stream().map(Object::toString)
                    .collect(Collectors.joining(File.pathSeparator)));
        }
        DEFAULT_SERVLET.forEach(context::setInitParameter);
        spec.initParameters().forEach(context::setInitParameter);
        return context;
    }

    private static DeploymentReport report(String what, ServletContextHandler context) {
        ServletHandler handler = context.getServletHandler();
        List<DeploymentReport.Component> servlets = new ArrayList<>();
        for (ServletHolder holder : handler.getServlets()) {
            servlets.add(new DeploymentReport.Component(holder.getName(), className(holder),
                    Stream.ofNullable(handler.getServletMappings()).flatMap(Arrays::stream)
                            .filter(m -> holder.getName().equals(m.getServletName()))
                            .flatMap(m -> Arrays.stream(m.getPathSpecs())).toList()));
        }
        List<DeploymentReport.Component> filters = new ArrayList<>();
        for (FilterHolder holder : handler.getFilters()) {
            filters.add(new DeploymentReport.Component(holder.getName(), className(holder),
                    Stream.ofNullable(handler.getFilterMappings()).flatMap(Arrays::stream)
                            .filter(m -> holder.getName().equals(m.getFilterName()))
                            .flatMap(m -> Stream.concat(Stream.ofNullable(m.getPathSpecs()).flatMap(Arrays::stream),
                                    Stream.ofNullable(m.getServletNames()).flatMap(Arrays::stream)
                                            .map(name -> "servlet " + name)))
                            .toList()));
        }
        List<String> initializers = context.getBeans(ServletContextHandler.ServletContainerInitializerStarter.class)
                .stream().flatMap(starter -> starter.getServletContainerInitializerHolders().stream())
                .map(Deployer::className).toList();
        List<String> listeners = Arrays.stream(handler.getListeners()).map(Deployer::className).toList();
        List<String> welcomeFiles = context.getWelcomeFiles() == null ? List.of() : List.of(context.getWelcomeFiles());
        return new DeploymentReport(what, initializers, servlets, filters, listeners, welcomeFiles);
    }

    private static String className(BaseHolder<?> holder) {
        if (holder.getClassName() != null) {
            return holder.getClassName();
        }
        return holder.getHeldClass() != null ? holder.getHeldClass().getName() : holder.toString();
    }
}
