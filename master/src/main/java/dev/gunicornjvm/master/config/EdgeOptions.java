package dev.gunicornjvm.master.config;

import dev.gunicornjvm.common.edge.EdgeSettings;
import dev.gunicornjvm.common.edge.TlsSettings;
import dev.gunicornjvm.master.socket.BindAddress;
import dev.gunicornjvm.master.tls.TlsConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options about what stands between the workers and the clients, with Gunicorn's names: TLS, the
 * HTTP versions, trusted proxies and the PROXY protocol. A picocli mixin of {@link GunicornCommand}.
 */
final class EdgeOptions {
    @Option(names = "--certfile", paramLabel = "FILE",
            description = "TLS certificate chain (PEM), leaf first. With --keyfile, every bind without http:// or"
                    + " https:// uses TLS.")
    String certFile;

    @Option(names = "--keyfile", paramLabel = "FILE",
            description = "TLS private key (PEM: PKCS#8, PKCS#1 or SEC1, encrypted or not), or a PKCS#12 or JKS"
                    + " keystore holding the key and its chain (then without --certfile).")
    String keyFile;

    @Option(names = "--keyfile-password", paramLabel = "env:VAR|file:PATH|PASSWORD",
            description = "Password of an encrypted --keyfile or of a keystore: read from an environment variable,"
                    + " from the first line of a file, or given as is (visible in ps).")
    String keyPassword;

    @Option(names = "--ca-certs", paramLabel = "FILE",
            description = "CA certificates (PEM) that client certificates must chain to; see --cert-reqs.")
    String caCerts;

    @Option(names = "--cert-reqs", paramLabel = "none|optional|required", defaultValue = "none",
            description = "Whether clients must show a certificate signed by --ca-certs (Gunicorn's 0, 1, 2 also)."
                    + " Default: ${DEFAULT-VALUE}.")
    String certReqs;

    @Option(names = "--ciphers", paramLabel = "SUITES",
            description = "TLS cipher suites allowed, by their IANA names, separated by , or :"
                    + " (e.g. TLS_AES_128_GCM_SHA256). Default: the JDK's.")
    String ciphers;

    @Option(names = "--ssl-version", paramLabel = "TLSv1.2|TLSv1.3", defaultValue = "TLSv1.2",
            description = "Oldest TLS version accepted. Default: ${DEFAULT-VALUE}.")
    String sslVersion;

    @Option(names = "--http-protocols", paramLabel = "h1[,h2]", defaultValue = "h1",
            description = "HTTP versions to speak: h1, or h1,h2 for HTTP/2 too (h2 by ALPN on TLS binds, h2c on"
                    + " plain ones). Default: ${DEFAULT-VALUE}.")
    String httpProtocols;

    @Option(names = "--forwarded-allow-ips", paramLabel = "ADDRESSES",
            description = "Front ends (addresses or CIDR ranges, comma separated; * for any) whose X-Forwarded-For,"
                    + " -Proto, -Host, -Port, Forwarded and --secure-scheme-headers are believed; from anyone else"
                    + " they change nothing. Default: $FORWARDED_ALLOW_IPS, else 127.0.0.1,::1.")
    String forwardedAllowIps;

    @Option(names = "--secure-scheme-headers", paramLabel = "HEADER=VALUE,...",
            description = "Headers that, from a --forwarded-allow-ips front end, mean the request came over https."
                    + " Default: X-FORWARDED-PROTOCOL=ssl,X-FORWARDED-PROTO=https,X-FORWARDED-SSL=on.")
    String secureSchemeHeaders;

    @Option(names = "--proxy-protocol",
            description = "Accept a PROXY protocol v1 or v2 header (HAProxy, AWS NLB) before the first request, from"
                    + " --proxy-allow-from peers; it gives the client's real address.")
    boolean proxyProtocol;

    @Option(names = "--proxy-allow-from", paramLabel = "ADDRESSES",
            description = "Peers (addresses or CIDR ranges, comma separated; * for any) that may send a PROXY"
                    + " header; a connection from anyone else that sends one is closed. Default: 127.0.0.1,::1.")
    String proxyAllowFrom;

    /**
     * True when the TLS options name keys, so that binds without a scheme use TLS (as in Gunicorn, whose
     * is_ssl is certfile or keyfile: --certfile alone may hold the key too).
     */
    boolean tlsGiven() {
        return keyFile != null || certFile != null;
    }

    /**
     * The binds, each with TLS decided: {@code https://} and {@code http://} say so; a bind without a
     * scheme uses TLS when the TLS options name keys.
     */
    List<BindAddress> binds(List<String> texts) {
        List<BindAddress> binds = texts.stream().map(text -> BindAddress.hasScheme(text)
                ? BindAddress.parse(text) : BindAddress.parse(text).withTls(tlsGiven())).toList();
        BindAddress tls = binds.stream().filter(BindAddress::tls).findFirst().orElse(null);
        if (tls != null && !tlsGiven()) {
            throw new IllegalArgumentException("bind " + tls + " uses TLS but no keys are given (add --certfile and"
                    + " --keyfile, or --keyfile with a keystore)");
        }
        if (tls == null && tlsGiven()) {
            throw new IllegalArgumentException("--certfile/--keyfile are given but every bind is http:// (drop the"
                    + " TLS options, or bind https://HOST:PORT)");
        }
        return binds;
    }

    /** The TLS options, checked, or null when no keys are given. */
    TlsConfig tls() {
        if (!tlsGiven()) {
            for (String option : new String[] {caCerts, ciphers, keyPassword}) {
                if (option != null) {
                    throw new IllegalArgumentException("--ca-certs, --ciphers and --keyfile-password need --certfile"
                            + " and --keyfile (or a keystore in --keyfile)");
                }
            }
            return null;
        }
        TlsSettings.ClientAuth clientAuth = TlsSettings.ClientAuth.parse(certReqs);
        if (clientAuth != TlsSettings.ClientAuth.NONE && caCerts == null) {
            throw new IllegalArgumentException("--cert-reqs " + clientAuth.id() + " needs --ca-certs (the CAs client"
                    + " certificates must chain to)");
        }
        return new TlsConfig(path(certFile), path(keyFile), keyPassword, path(caCerts), clientAuth,
                ciphers == null ? List.of() : Arrays.stream(ciphers.split("[,:\\s]+")).filter(s -> !s.isEmpty()).toList(),
                TlsConfig.minimumProtocol(sslVersion));
    }

    /**
     * What workers are told, without the TLS keys (each generation gets its own copy of those).
     *
     * @param environment the master's, for FORWARDED_ALLOW_IPS (Gunicorn's default of --forwarded-allow-ips)
     */
    EdgeSettings edge(Map<String, String> environment) {
        return new EdgeSettings(http2(), addresses("--forwarded-allow-ips", forwardedAllowIps != null ? forwardedAllowIps
                : environment.getOrDefault("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")),
                secureSchemeHeaders == null ? EdgeSettings.gunicornSecureSchemeHeaders() : headers(secureSchemeHeaders),
                proxyProtocol, addresses("--proxy-allow-from", proxyAllowFrom == null ? "127.0.0.1,::1" : proxyAllowFrom),
                null);
    }

    private boolean http2() {
        boolean h2 = false;
        for (String protocol : httpProtocols.split("[,\\s]+")) {
            switch (protocol.trim().toLowerCase(Locale.ROOT)) {
                case "h1", "http/1.1", "" -> { }
                case "h2", "h2c" -> h2 = true;
                default -> throw new IllegalArgumentException("--http-protocols: unknown protocol '" + protocol
                        + "' (use h1 or h1,h2)");
            }
        }
        return h2;
    }

    private static List<String> addresses(String option, String text) {
        List<String> addresses = Arrays.stream(text.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String address : addresses) {
            AddressPattern.check(option, address);
        }
        return addresses;
    }

    private static Map<String, String> headers(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--secure-scheme-headers: '" + pair.trim() + "' is not HEADER=VALUE"
                        + " (e.g. X-FORWARDED-PROTO=https)");
            }
            headers.put(pair.substring(0, eq).trim().toUpperCase(Locale.ROOT), pair.substring(eq + 1).trim());
        }
        return headers;
    }

    private static Path path(String file) {
        return file == null ? null : Path.of(file).toAbsolutePath();
    }
}
