package io.meshgate.gateway.tls;

import io.meshgate.translator.ir.ClientTls;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

/**
 * HTTP clients that originate TLS to upstreams, as a DestinationRule's {@code trafficPolicy.tls} asks:
 * {@code SIMPLE} (the upstream's certificate checked against {@code caCertificates}, else the JDK's trusted roots,
 * and {@code subjectAltNames}; or not at all with {@code insecureSkipVerify}) and {@code MUTUAL} (the gateway's own
 * client certificate too), with {@code sni}. Credentials come from files or from a {@code credentialName} directory
 * ({@code tls.crt}, {@code tls.key}, {@code ca.crt}) as for Gateway servers. One client per distinct setting, built
 * on the plain client (same pool settings and timeouts); its files are looked at again at most once a second, and a
 * change builds a new client for new connections.
 */
public final class UpstreamTlsClients {

    private static final String ISTIO_MUTUAL = "ISTIO_MUTUAL";
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private record Key(ClientTls tls, boolean http2) {
    }

    private record Built(HttpClient client, CredentialFiles files, long fingerprint, long checkedAt) {
    }

    private final Path configDir;
    private final HttpClient plain;
    private final Map<Key, Built> clients = new ConcurrentHashMap<>();

    public UpstreamTlsClients(Path configDir, HttpClient plain) {
        this.configDir = configDir;
        this.plain = plain;
    }

    /**
     * Whether requests to a destination with these settings go over TLS. {@code ISTIO_MUTUAL} does, and as this
     * gateway has no mesh certificate yet, {@link #client} refuses it: such requests fail as a TLS error (503, UF),
     * they never go in plaintext.
     */
    public static boolean originates(ClientTls tls) {
        return tls.mode().equals("SIMPLE") || tls.mode().equals("MUTUAL") || tls.mode().equals(ISTIO_MUTUAL);
    }

    /**
     * The client for these settings, speaking HTTP/2 (negotiated with ALPN {@code h2}, as Envoy does for an HTTP/2
     * cluster) or HTTP/1.1. A client built or checked in the last second is given at once; otherwise its credential
     * files are read (to build it, or to see whether they changed) on the bounded elastic scheduler, never on the
     * event loop that asks. The Mono fails with an {@link SSLException} when the credentials cannot be used: the
     * request fails as a TLS error.
     */
    public Mono<HttpClient> client(ClientTls tls, boolean http2) {
        if (tls.mode().equals(ISTIO_MUTUAL)) {
            return Mono.error(new SSLException("TLS error: ISTIO_MUTUAL needs a mesh certificate, which this gateway "
                    + "does not have"));
        }
        Key key = new Key(tls, http2);
        Built built = clients.get(key);
        if (built != null && System.nanoTime() - built.checkedAt() < RECHECK_NANOS) {
            return Mono.just(built.client());
        }
        return Mono.fromCallable(() -> checked(key)).subscribeOn(Schedulers.boundedElastic());
    }

    /** Reads the files of {@code key}'s credential and gives its client, built again if they changed. */
    private HttpClient checked(Key key) throws SSLException {
        ClientTls tls = key.tls();
        boolean http2 = key.http2();
        Built built = clients.get(key);
        long now = System.nanoTime();
        if (built != null && now - built.checkedAt() < RECHECK_NANOS) {
            return built.client();
        }
        CredentialFiles files = files(tls);
        long fingerprint = files.fingerprint();
        if (built != null && built.fingerprint() == fingerprint) {
            clients.put(key, new Built(built.client(), files, fingerprint, now));
            return built.client();
        }
        try {
            HttpClient client = build(tls, files, http2);
            clients.put(key, new Built(client, files, fingerprint, now));
            return client;
        } catch (InvalidCredentialException e) {
            throw new SSLException("TLS error: upstream credential " + files.name() + ": " + e.getMessage());
        }
    }

    private CredentialFiles files(ClientTls tls) {
        Optional<Path> ca;
        if (tls.credentialName().isPresent()) {
            Path dir = configDir.resolve(CredentialFiles.CREDENTIALS_DIR).resolve(tls.credentialName().get());
            ca = tls.caCertificates().map(configDir::resolve).or(() -> Optional.of(dir.resolve("ca.crt"))
                    .filter(Files::isRegularFile));
            Optional<Path> crl = tls.caCrl().map(configDir::resolve)
                    .or(() -> ca.map(path -> path.resolveSibling("ca.crl")).filter(Files::isRegularFile));
            return new CredentialFiles(tls.credentialName().get(), dir.resolve("tls.crt"), dir.resolve("tls.key"),
                    ca, crl);
        }
        Path certificate = configDir.resolve(tls.clientCertificate().orElse(""));
        return new CredentialFiles(tls.clientCertificate().orElse("-"), certificate,
                configDir.resolve(tls.privateKey().orElse("")), tls.caCertificates().map(configDir::resolve),
                tls.caCrl().map(configDir::resolve));
    }

    private HttpClient build(ClientTls tls, CredentialFiles files, boolean http2) {
        SslContextBuilder builder = SslContextBuilder.forClient();
        if (http2) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2));
        }
        if (tls.insecureSkipVerify()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            List<X509Certificate> cas = files.caCertificates()
                    .map(path -> PemCredential.certificates(read(path), "CA certificates"))
                    .orElse(List.of());
            List<X509CRL> crls = files.caCrl().map(path -> PemCredential.crls(read(path), "CA CRL"))
                    .orElse(List.of());
            builder.trustManager(PeerCertificateVerifier.forServers(cas, crls, tls.subjectAltNames()));
        }
        if (tls.mode().equals("MUTUAL")) {
            PemCredential own = PemCredential.parse(read(files.certificate()), read(files.privateKey()));
            builder.keyManager(own.key(), own.chain());
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException e) {
            throw new InvalidCredentialException(e.getMessage());
        }
        return (http2 ? plain.protocol(HttpProtocol.H2) : plain).secure(spec -> {
            var ssl = spec.sslContext(context);
            tls.sni().ifPresent(sni -> ssl.serverNames(new SNIHostName(sni)));
        });
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (java.io.IOException e) {
            throw new InvalidCredentialException("cannot read " + path + ": " + e.getClass().getSimpleName());
        }
    }
}
