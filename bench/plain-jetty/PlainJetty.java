import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The benchmark's baseline: one plain Jetty 12 JVM serving example.HelloServlet at /*.
 * Usage: java -cp 'lib/*:lib/ee11/*:hello.jar:.' PlainJetty HOST PORT REQUEST_THREADS [KEYSTORE.p12 PASSWORD]
 *
 * The class path is a worker's: the server's jars plus the default Servlet environment, lib/ee11
 * (Jakarta Servlet 6.1 and Jetty's ee11 modules), as gunicorn-jvm gives its workers.
 *
 * Sized like a gunicorn-jvm worker (worker/.../http/HttpServer.java): maxThreads = request threads
 * + 2 per listener (one acceptor, one selector) + 1, the same minimum, no reserved threads, the same
 * HttpConfiguration and the same keep-alive idle timeout (gunicorn's --keep-alive default, 2 s).
 *
 * With a PKCS#12 keystore: TLS with ALPN offering h2 and HTTP/1.1, the stack a gunicorn-jvm worker builds
 * for an https:// bind with --http-protocols h1,h2 (worker/.../edge/ConnectionFactories.java and
 * TlsContext.java): Jetty's default SslContextFactory.Server (its default ciphers), TLSv1.2 and TLSv1.3,
 * no SNI host check.
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
        ServerConnector connector = args.length > 4
                ? new ServerConnector(server, 1, 1, tls(config, args[3], args[4]))
                : new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
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
                + " (" + requestThreads + " request threads)" + (args.length > 4 ? " over TLS (h2, http/1.1)" : ""));
        server.join();
    }

    private static org.eclipse.jetty.server.ConnectionFactory[] tls(HttpConfiguration plain, String keystore,
                                                                    String password) {
        HttpConfiguration config = new HttpConfiguration(plain);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        config.addCustomizer(secure);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keystore);
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(password);
        ssl.setKeyManagerPassword(password);
        ssl.setIncludeProtocols("TLSv1.2", "TLSv1.3");
        HttpConnectionFactory h1 = new HttpConnectionFactory(config);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(h1.getProtocol());
        return new org.eclipse.jetty.server.ConnectionFactory[] {new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                new HTTP2ServerConnectionFactory(config), h1};
    }
}
