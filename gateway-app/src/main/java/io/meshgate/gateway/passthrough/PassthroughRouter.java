package io.meshgate.gateway.passthrough;

import io.meshgate.gateway.lb.Balancers;
import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.gateway.telemetry.IstioTcpMetrics;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.ServerTls;
import io.netty.channel.ChannelHandler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Routes the TLS connections of ports with {@code PASSTHROUGH} servers: {@link #handler} reads each connection's
 * ClientHello without terminating TLS and, by its SNI name, relays the connection to a backend of the matching tls
 * route, hands it on to TLS termination, or closes it. The routes are those of the live configuration when the
 * ClientHello arrives, so new connections follow reloads while relayed ones keep their backend.
 */
public final class PassthroughRouter {

    /** How long a client may take to send its ClientHello. */
    static final Duration CLIENT_HELLO_TIMEOUT = Duration.ofSeconds(10);

    /** The SNI tables of one configuration, built when its first connection arrives. */
    private record Tables(LiveConfig config, Map<Integer, SniRoutes> byPort) {
    }

    /** A routing decision and the configuration it was made with. */
    record Decision(LiveConfig config, SniRoutes.@Nullable Target target) {
    }

    private final ConfigRunner runner;
    private final IstioTcpMetrics metrics;
    private final Balancers balancers;
    private final Duration connectTimeout;
    private final AtomicReference<@Nullable Tables> tables = new AtomicReference<>();

    public PassthroughRouter(ConfigRunner runner, IstioTcpMetrics metrics, Balancers balancers,
            Duration connectTimeout) {
        this.runner = runner;
        this.balancers = balancers;
        this.metrics = metrics;
        this.connectTimeout = connectTimeout;
    }

    /** Whether a listener has servers in {@code PASSTHROUGH} mode, whose connections this router must see first. */
    public static boolean relays(Listener listener) {
        return listener.servers().stream().anyMatch(server -> (server.protocol().equals("TLS")
                || server.protocol().equals("HTTPS"))
                && server.tls().map(ServerTls::mode).filter("PASSTHROUGH"::equals).isPresent());
    }

    /** The handler to put first in the pipeline of every connection accepted on that Gateway port. */
    public ChannelHandler handler(int gatewayPort) {
        return new SniRoutingHandler(gatewayPort, this);
    }

    Decision decide(int gatewayPort, @Nullable String serverName) {
        LiveConfig config = runner.current();
        Tables current = tables.get();
        if (current == null || current.config() != config) {
            Map<Integer, SniRoutes> byPort = new HashMap<>();
            config.snapshot().listeners().stream().filter(PassthroughRouter::relays)
                    .forEach(l -> byPort.put(l.port(), SniRoutes.of(l)));
            current = new Tables(config, byPort);
            tables.set(current);
        }
        SniRoutes routes = current.byPort().get(gatewayPort);
        return new Decision(config, routes == null ? null : routes.lookup(serverName));
    }

    IstioTcpMetrics metrics() {
        return metrics;
    }

    Balancers balancers() {
        return balancers;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }
}
