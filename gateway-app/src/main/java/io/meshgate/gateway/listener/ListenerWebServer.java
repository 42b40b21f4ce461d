package io.meshgate.gateway.listener;

import io.meshgate.gateway.passthrough.PassthroughRouter;
import io.meshgate.gateway.proxy.BodyDecodeWatcher;
import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.gateway.tls.TlsListeners;
import io.meshgate.translator.ir.Listener;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.WebServer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/**
 * The gateway's web server: one reactor-netty server per Gateway server port of the live configuration, all
 * serving the same Spring handler. A port with TLS passthrough servers first reads each connection's SNI name, which
 * decides whether the connection is relayed or goes on to TLS termination and HTTP. Ports open and close as the
 * configuration changes; a port that cannot be bound is logged and the others still serve.
 */
final class ListenerWebServer implements WebServer {

    private static final Logger log = LoggerFactory.getLogger(ListenerWebServer.class);
    private static final Set<String> PLAIN_HTTP = Set.of("HTTP", "HTTP2", "GRPC", "GRPC-WEB");

    private final ReactorHttpHandlerAdapter handler;
    private final ConfigRunner runner;
    private final PortMap portMap;
    private final BoundPorts boundPorts;
    private final String bindAddress;
    private final Duration drainTimeout;
    private final TlsListeners tls;
    private final PassthroughRouter passthrough;
    private final ClientLimits limits;
    private final Map<Integer, DisposableServer> servers = new TreeMap<>();
    /** How each open port serves: a port that changes between plain, TLS and passthrough is opened again. */
    private final Map<Integer, Kind> kinds = new java.util.HashMap<>();

    /** Whether a port terminates TLS, and whether it relays TLS connections by SNI. */
    private record Kind(boolean terminatesTls, boolean relaysTls) {
        static Kind of(Listener listener) {
            return new Kind(TlsListeners.terminates(listener), PassthroughRouter.relays(listener));
        }
    }
    private boolean started;

    ListenerWebServer(HttpHandler handler, ListenerSettings settings) {
        this.handler = new ReactorHttpHandlerAdapter(handler);
        this.runner = settings.runner();
        this.portMap = settings.portMap();
        this.boundPorts = settings.boundPorts();
        this.bindAddress = settings.bindAddress();
        this.drainTimeout = settings.drainTimeout();
        this.tls = settings.tls();
        this.passthrough = settings.passthrough();
        this.limits = new ClientLimits(settings.limits(), settings.trustedProxies());
    }

    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        reconcile(runner.current());
        runner.subscribe(this::reconcile);
    }

    private synchronized void reconcile(LiveConfig config) {
        if (!started) {
            return;
        }
        Map<Integer, Kind> wanted = config.snapshot().listeners().stream()
                .filter(this::servable)
                .collect(Collectors.toMap(Listener::port, Kind::of));
        servers.keySet().stream()
                .filter(port -> !java.util.Objects.equals(wanted.get(port), kinds.get(port)))
                .toList().forEach(this::close);
        wanted.keySet().stream().filter(port -> !servers.containsKey(port)).sorted()
                .forEach(port -> open(port, wanted.get(port)));
    }

    private boolean servable(Listener listener) {
        if (PLAIN_HTTP.contains(listener.protocol()) || TlsListeners.terminates(listener)
                || PassthroughRouter.relays(listener)) {
            return true;
        }
        log.warn("listener {} ({}) not opened: TCP listeners are not served by this version",
                listener.name(), listener.protocol());
        return false;
    }

    private void open(int gatewayPort, Kind kind) {
        boolean terminatesTls = kind.terminatesTls();
        int local = portMap.localPort(gatewayPort);
        try {
            HttpServer http = limits.apply(HttpServer.create().host(bindAddress).port(local));
            if (terminatesTls) {
                // the certificate is chosen per handshake by SNI; the default provider is never handed out
                http = http.secure(spec -> spec.sslContext(TlsListeners.placeholder())
                                .setSniAsyncMappings(tls.mapping(gatewayPort)))
                        .protocol(HttpProtocol.HTTP11, HttpProtocol.H2);
            } else {
                http = http.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C);
            }
            if (kind.relaysTls()) {
                http = http.doOnChannelInit((observer, channel, address) ->
                        channel.pipeline().addFirst("meshgate.sni", passthrough.handler(gatewayPort)));
            }
            DisposableServer server = http
                    // a request body that fails to decode must reset its upstream request, not end it
                    .doOnConnection(BodyDecodeWatcher::install)
                    // with a channel group, disposing the server waits for in-flight requests instead of cutting them
                    .channelGroup(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE))
                    .handle(handler)
                    .bindNow();
            servers.put(gatewayPort, server);
            kinds.put(gatewayPort, kind);
            boundPorts.bound(gatewayPort, server.port());
            log.info("listening on {}:{} for Gateway port {}{}", bindAddress, server.port(), gatewayPort,
                    (terminatesTls ? " (TLS)" : "") + (kind.relaysTls() ? " (TLS passthrough)" : ""));
        } catch (RuntimeException e) {
            log.error("cannot listen on {}:{} for Gateway port {}: {}", bindAddress, local, gatewayPort,
                    e.getMessage());
        }
    }

    private void close(int gatewayPort) {
        DisposableServer server = servers.remove(gatewayPort);
        kinds.remove(gatewayPort);
        boundPorts.unbound(gatewayPort);
        if (server != null) {
            server.disposeNow(drainTimeout);
            log.info("stopped listening for Gateway port {}", gatewayPort);
        }
    }

    @Override
    public synchronized void stop() {
        started = false;
        Set.copyOf(servers.keySet()).forEach(this::close);
    }

    @Override
    public void shutDownGracefully(GracefulShutdownCallback callback) {
        Thread drain = new Thread(() -> {
            stop();
            callback.shutdownComplete(GracefulShutdownResult.IDLE);
        }, "listener-drain");
        drain.start();
    }

    @Override
    public synchronized int getPort() {
        return servers.values().stream().findFirst().map(DisposableServer::port).orElse(-1);
    }
}
