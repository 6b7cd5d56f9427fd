import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The benchmark's baseline: one plain Jetty 12 JVM serving example.HelloServlet at /*.
 * Usage: java -cp 'lib/*:lib/ee11/*:hello.jar:.' PlainJetty HOST PORT REQUEST_THREADS
 *
 * The class path is a worker's: the server's jars plus the default Servlet environment, lib/ee11
 * (Jakarta Servlet 6.1 and Jetty's ee11 modules), as gunicorn-jvm gives its workers.
 *
 * Sized like a gunicorn-jvm worker (worker/.../http/HttpServer.java): maxThreads = request threads
 * + 2 per listener (one acceptor, one selector) + 1, the same minimum, no reserved threads, the same
 * HttpConfiguration and the same keep-alive idle timeout (gunicorn's --keep-alive default, 2 s).
 */
public final class PlainJetty {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int requestThreads = Integer.parseInt(args[2]);
        int maxThreads = requestThreads + 2 + 1;
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(maxThreads, 4));
        pool.setName("http");
        pool.setReservedThreads(0);
        Server server = new Server(pool);

        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(true);
        config.setHttpCompliance(HttpCompliance.RFC9110);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(2000);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(Class.forName("example.HelloServlet")
                .asSubclass(jakarta.servlet.Servlet.class));
        holder.setInitOrder(0);
        context.addServlet(holder, "/*");
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        System.err.println("PlainJetty: serving on " + host + ":" + port + " with maxThreads " + maxThreads
                + " (" + requestThreads + " request threads)");
        server.join();
    }
}
