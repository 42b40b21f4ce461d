package io.meshgate.gateway.passthrough;

import static java.util.Objects.requireNonNull;

import io.meshgate.gateway.filter.EndpointPicker;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.gateway.telemetry.IstioTcpMetrics;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.TlsRoute;
import io.meshgate.translator.ir.WeightedCluster;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * Starts relaying one client connection for a tls route: picks a destination by weight and one of its endpoints
 * round-robin, connects to it on the client's event loop, and once connected replays the buffered ClientHello and
 * relays both ways. No endpoint (UH) or a failed connection (UF) closes the client's connection.
 */
final class TcpRelay {

    private static final Logger log = LoggerFactory.getLogger(TcpRelay.class);

    private final PassthroughRouter router;
    private final LiveConfig config;
    private final TlsRoute route;
    private @Nullable Channel client;
    private @Nullable RelayedConnection connection;
    private @Nullable RelayHandler fromClient;

    TcpRelay(PassthroughRouter router, LiveConfig config, TlsRoute route) {
        this.router = router;
        this.config = config;
        this.route = route;
    }

    /** Takes over the connection of {@code ctx}, whose handler is to leave the pipeline right after. */
    void start(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        client.config().setAutoRead(false);
        client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        RelayedConnection connection = new RelayedConnection(client);
        RelayHandler fromClient = new RelayHandler(connection, true);
        ctx.pipeline().addLast("meshgate.relay", fromClient);
        this.client = client;
        this.connection = connection;
        this.fromClient = fromClient;
        WeightedCluster destination = EndpointPicker.pickDestination(route.clusters());
        Optional<Endpoint> endpoint = config.cluster(destination.cluster()).flatMap(router.picker()::pickEndpoint);
        if (endpoint.isEmpty()) {
            log.debug("{}: cluster {} has no endpoint; connection closed", route.name(), destination.cluster());
            connection.failed(meters(destination, null, "UH"));
            return;
        }
        Endpoint target = endpoint.get();
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(target.address());
        if (ip != null) {
            connect(destination, target, address(ip, target.port()));
        } else {
            // a host name: resolved off the event loop, then connected on it
            Schedulers.boundedElastic().schedule(() -> {
                InetSocketAddress resolved = new InetSocketAddress(target.address(), target.port());
                client.eventLoop().execute(() -> connect(destination, target, resolved));
            });
        }
    }

    private void connect(WeightedCluster destination, Endpoint target, InetSocketAddress address) {
        Channel client = requireNonNull(this.client);
        RelayedConnection connection = requireNonNull(this.connection);
        RelayHandler fromClient = requireNonNull(this.fromClient);
        if (!client.isActive()) {
            return;
        }
        RelayHandler fromBackend = new RelayHandler(connection, false);
        ChannelFuture connecting = new Bootstrap()
                .group(client.eventLoop())
                // an accepted channel is of the client kind of its transport (NIO, epoll), which this loop runs
                .channel(client.getClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) router.connectTimeout().toMillis())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(fromBackend)
                .connect(address);
        connecting.addListener(future -> {
            if (!future.isSuccess()) {
                log.debug("{}: cannot connect to {}: {}", route.name(), address, future.cause().toString());
                fromClient.discard();
                connection.failed(meters(destination, target, "UF"));
                return;
            }
            Channel backend = connecting.channel();
            connection.opened(backend, meters(destination, target, "-"));
            if (connection.isClosed() || !client.isActive()) {
                connection.close();
                return;
            }
            fromBackend.connected(client);
            fromClient.connected(backend);
            RelayHandler.resumeReading(backend);
            RelayHandler.resumeReading(client);
        });
    }

    private IstioTcpMetrics.Meters meters(WeightedCluster destination, @Nullable Endpoint endpoint, String flags) {
        return router.metrics().of(IstioTcpMetrics.Labels.of(destination, endpoint, flags));
    }

    private static InetSocketAddress address(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address", e);
        }
    }
}
