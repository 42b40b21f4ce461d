package io.meshgate.gateway.tls;

import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.ServerTls;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.util.AsyncMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.tcp.SslProvider;

/**
 * The TLS state of the Gateway servers that terminate TLS ({@code SIMPLE}, {@code MUTUAL}, {@code OPTIONAL_MUTUAL}):
 * per port, which certificate a handshake gets by its SNI name ({@link #mapping}), rebuilt when the configuration
 * changes and when credential files change (checked every {@code checkInterval}), so a rotated certificate serves
 * new handshakes within that time while established connections keep theirs. A credential that fails to load is
 * reported (log, {@link #status()}) and its server keeps the last good one; a server that never had a good one
 * serves no handshake.
 */
public final class TlsListeners implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TlsListeners.class);
    private static final Set<String> TERMINATING = Set.of("SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL");

    /** What a server was last served with. */
    private record Loaded(ServerTls tls, List<String> hosts, ServerCredential credential, SslProvider provider) {
    }

    /**
     * The state of one server's credential, as the actuator shows it.
     *
     * @param error why the files last failed to load; the server then serves its previous credential, if any
     */
    public record CredentialStatus(String server, String credential, Optional<Instant> notAfter,
            Optional<String> error) {
    }

    private final Path configDir;
    private final ConfigRunner runner;
    private final MeterRegistry registry;
    private final Map<Integer, AtomicReference<SniTable>> tables = new ConcurrentHashMap<>();
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();
    private final Map<String, CredentialStatus> status = new ConcurrentHashMap<>();
    /** The files of servers whose credential failed to load, with their contents' checksum then. */
    private final Map<String, Map.Entry<List<CredentialFiles>, Long>> failed = new ConcurrentHashMap<>();
    private final Set<String> gauges = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watcher;

    public TlsListeners(Path configDir, ConfigRunner runner, MeterRegistry registry, Duration checkInterval) {
        this.configDir = configDir;
        this.runner = runner;
        this.registry = registry;
        String provider = SslContext.defaultServerProvider().name();
        log.info("TLS provider: {}", provider);
        Gauge.builder("meshgate.tls.provider", () -> 1).tag("provider", provider)
                .description("The TLS implementation in use (1 for the one in use)").register(registry);
        apply(runner.current());
        runner.subscribe(this::apply);
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tls-credentials");
            thread.setDaemon(true);
            return thread;
        });
        long millis = checkInterval.toMillis();
        watcher.scheduleWithFixedDelay(this::recheck, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The provider a TLS listener is opened with. reactor-netty needs one, but every handshake goes through
     * {@link #mapping}, which never falls back to it: a throwaway self-signed certificate made once.
     */
    public static SslProvider.GenericSslContextSpec<?> placeholder() {
        return Placeholder.SPEC;
    }

    private static final class Placeholder {
        static final SslProvider.GenericSslContextSpec<?> SPEC = create();

        private static SslProvider.GenericSslContextSpec<?> create() {
            try {
                SelfSignedCertificate certificate = new SelfSignedCertificate("meshgate.invalid");
                return Http2SslContextSpec.forServer(certificate.key(), certificate.cert());
            } catch (java.security.cert.CertificateException e) {
                throw new IllegalStateException("cannot make the placeholder certificate", e);
            }
        }
    }

    /** Whether a listener terminates TLS: an HTTPS port with at least one server in a terminating mode. */
    public static boolean terminates(Listener listener) {
        return "HTTPS".equals(listener.protocol()) && listener.servers().stream()
                .anyMatch(server -> server.tls().map(tls -> TERMINATING.contains(tls.mode())).orElse(false));
    }

    /** The SNI lookup of a port: the server's provider, or a failed handshake when no server serves the name. */
    public AsyncMapping<String, SslProvider> mapping(int gatewayPort) {
        AtomicReference<SniTable> table = tables.computeIfAbsent(gatewayPort, p -> new AtomicReference<>(SniTable.EMPTY));
        return (serverName, promise) -> {
            SslProvider provider = table.get().lookup(serverName);
            return provider != null ? promise.setSuccess(provider)
                    : promise.setFailure(new SSLHandshakeException("no Gateway server on port " + gatewayPort
                            + " serves " + (serverName == null ? "clients without SNI" : serverName)));
        };
    }

    /** Every terminating server's credential and how it loaded. */
    public List<CredentialStatus> status() {
        return List.copyOf(status.values());
    }

    private synchronized void apply(LiveConfig config) {
        Set<Integer> ports = new HashSet<>();
        Set<String> servers = new HashSet<>();
        for (Listener listener : config.snapshot().listeners()) {
            if (!terminates(listener)) {
                continue;
            }
            ports.add(listener.port());
            Map<String, SslProvider> byHost = new LinkedHashMap<>();
            for (Server server : listener.servers()) {
                Optional<ServerTls> tls = server.tls().filter(t -> TERMINATING.contains(t.mode()));
                if (tls.isEmpty()) {
                    continue;
                }
                servers.add(server.name());
                SslProvider provider = provider(server, tls.get());
                if (provider != null) {
                    for (String host : server.hosts()) {
                        byHost.putIfAbsent(host.substring(host.indexOf('/') + 1), provider);
                    }
                }
            }
            tables.computeIfAbsent(listener.port(), p -> new AtomicReference<>(SniTable.EMPTY)).set(SniTable.of(byHost));
        }
        tables.forEach((port, table) -> {
            if (!ports.contains(port)) {
                table.set(SniTable.EMPTY);
            }
        });
        loaded.keySet().retainAll(servers);
        status.keySet().retainAll(servers);
        failed.keySet().retainAll(servers);
    }

    /** The server's provider: the one it has while its settings and files are unchanged, else a new one. */
    private @Nullable SslProvider provider(Server gatewayServer, ServerTls tls) {
        String server = gatewayServer.name();
        Loaded previous = loaded.get(server);
        try {
            List<CredentialFiles> files = CredentialFiles.allOf(tls, configDir);
            if (previous != null && previous.tls().equals(tls) && previous.hosts().equals(gatewayServer.hosts())
                    && previous.credential().files().equals(files) && previous.credential().unchanged()) {
                return previous.provider();
            }
            long fingerprint = fingerprint(files);
            Map.Entry<List<CredentialFiles>, Long> failure = failed.get(server);
            if (failure != null && failure.getKey().equals(files) && failure.getValue() == fingerprint
                    && previous != null && previous.tls().equals(tls)) {
                // the same bad files as last time: reported then, nothing new to say
                return previous.provider();
            }
            ServerCredential credential;
            SslProvider provider;
            try {
                credential = ServerCredential.read(files);
                // each handshake records the server it was made with, which routes the connection's requests
                provider = SslProvider.addHandlerConfigurator(ServerSslProviders.of(tls, credential),
                        HandshakeServer.of(gatewayServer, tls).recorder());
            } catch (InvalidCredentialException | IllegalArgumentException e) {
                failed.put(server, Map.entry(files, fingerprint));
                throw e;
            }
            failed.remove(server);
            loaded.put(server, new Loaded(tls, gatewayServer.hosts(), credential, provider));
            status.put(server, new CredentialStatus(server, credential.name(), Optional.of(credential.notAfter()),
                    Optional.empty()));
            registerExpiryGauge(server, credential.name());
            log.info("Gateway server {}: credential {} loaded ({}), valid until {}", server, credential.name(),
                    credential.subjects(), credential.notAfter());
            return provider;
        } catch (InvalidCredentialException | IllegalArgumentException e) {
            String kept = previous == null ? "it serves no handshake until it loads"
                    : "it keeps serving credential " + previous.credential().name();
            log.error("Gateway server {}: TLS credential not loaded: {}; {}", server, e.getMessage(), kept);
            status.put(server, new CredentialStatus(server,
                    previous == null ? tls.credentialName().orElse("-") : previous.credential().name(),
                    previous == null ? Optional.empty() : Optional.of(previous.credential().notAfter()),
                    Optional.of(e.getMessage())));
            return previous == null ? null : previous.provider();
        }
    }

    private void registerExpiryGauge(String server, String credential) {
        if (gauges.add(server + "|" + credential)) {
            Gauge.builder("meshgate.tls.certificate.expiry.seconds", this, self -> self.secondsToExpiry(server))
                    .description("Seconds until the certificate a Gateway server serves expires")
                    .tag("server", server).tag("credential", credential)
                    .register(registry);
        }
    }

    private double secondsToExpiry(String server) {
        Loaded current = loaded.get(server);
        return current == null ? Double.NaN
                : Duration.between(Instant.now(), current.credential().notAfter()).toSeconds();
    }

    /** Applies the configuration again when a credential file changed, the files of a failed one included. */
    private void recheck() {
        try {
            boolean changed = failed.values().stream().anyMatch(f -> fingerprint(f.getKey()) != f.getValue())
                    || loaded.entrySet().stream().anyMatch(e -> !failed.containsKey(e.getKey())
                            && !e.getValue().credential().unchanged());
            if (changed) {
                apply(runner.current());
            }
        } catch (RuntimeException e) {
            log.error("checking TLS credentials failed", e);
        }
    }

    private static long fingerprint(List<CredentialFiles> files) {
        long fingerprint = 17;
        for (CredentialFiles file : files) {
            fingerprint = fingerprint * 31 + file.fingerprint();
        }
        return fingerprint;
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
