package dev.gunicornjvm.worker.edge;

import dev.gunicornjvm.common.edge.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty's server TLS context from the keystores the master wrote for this generation. */
final class TlsContext {
    private TlsContext() {
    }

    static SslContextFactory.Server server(TlsSettings settings) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        char[] password = settings.password().toCharArray();
        factory.setKeyStore(load(settings.keyStore(), password));
        factory.setKeyStorePassword(settings.password());
        factory.setKeyManagerPassword(settings.password());
        if (settings.trustStore() != null) {
            factory.setTrustStore(load(settings.trustStore(), password));
            factory.setTrustStorePassword(settings.password());
        }
        switch (settings.clientAuth()) {
            case REQUIRED -> factory.setNeedClientAuth(true);
            case OPTIONAL -> factory.setWantClientAuth(true);
            case NONE -> { }
        }
        if (!settings.cipherSuites().isEmpty()) {
            // Exactly the suites named (Gunicorn's ciphers): Jetty's own exclusions would silently drop
            // some, and a list left empty fails every handshake. The master checked the names.
            factory.setExcludeCipherSuites();
            factory.setIncludeCipherSuites(settings.cipherSuites().toArray(String[]::new));
        }
        factory.setIncludeProtocols(settings.minimumProtocol().equals("TLSv1.3")
                ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.2", "TLSv1.3"});
        return factory;
    }

    /** Read into memory now: after the privilege drop the worker could not open the master's file. */
    private static KeyStore load(String file, char[] password) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the TLS keys " + file + ": " + e.getMessage(), e);
        }
    }
}
