package io.meshgate.gateway.passthrough;

import static java.util.Objects.requireNonNull;

import io.meshgate.gateway.filter.WeightedPick;
import io.meshgate.gateway.lb.Balancers;
import io.meshgate.gateway.lb.ConnectionHashRequest;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.gateway.telemetry.IstioTcpMetrics;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.ConnectionPool;
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
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * Starts relaying one client connection for a tls route: picks a destination by weight and one of its endpoints by
 * the cluster's DestinationRule (load balancer, {@code useSourceIp} hashing, outlier detection, warmup), connects to
 * it on the client's event loop within the cluster's {@code tcp.connectTimeout}, and once connected replays the
 * buffered ClientHello and relays both ways until either side closes or nothing has moved for
 * {@code tcp.idleTimeout} (1 hour unless set; 0 never). Over {@code tcp.maxConnections} (UO), without an endpoint
 * (UH) or when the connection fails (UF, a gateway error for outlier detection) the client's connection is closed.
 */
final class TcpRelay {

    private static final Logger log = LoggerFactory.getLogger(TcpRelay.class);

    /** Istio's default {@code connectionPool.tcp.idleTimeout}. */
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

    /** What a connection that opened counts as for outlier detection: a success, as any status below 500. */
    private static final int CONNECTED = 200;

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
        WeightedCluster destination = WeightedPick.destination(route.clusters());
        Optional<Cluster> cluster = config.cluster(destination.cluster());
        Balancers balancers = router.balancers();
        Balancers.Admission admission = cluster.map(balancers::admitConnection).orElse(Balancers.Admission.UNLIMITED);
        if (admission == Balancers.Admission.OVERFLOW) {
            log.debug("{}: cluster {} is at its maxConnections; connection closed", route.name(),
                    destination.cluster());
            connection.failed(meters(destination, null, "UO"));
            return;
        }
        if (admission == Balancers.Admission.ADMITTED) {
            connection.onClose(() -> balancers.release(cluster.get()));
        }
        Optional<Balancers.Pick> pick = cluster.flatMap(c -> balancers.pick(c, new ConnectionHashRequest(
                client.remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null
                        ? remote.getAddress().getHostAddress() : null)));
        if (pick.isEmpty()) {
            log.debug("{}: cluster {} has no endpoint; connection closed", route.name(), destination.cluster());
            connection.failed(meters(destination, null, "UH"));
            return;
        }
        Balancers.Pick target = pick.get();
        target.state().started();
        connection.onClose(target.state()::ended);
        Endpoint endpoint = target.endpoint();
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(endpoint.address());
        if (ip != null) {
            connect(destination, cluster.get(), target, address(ip, endpoint.port()));
        } else {
            // a host name: resolved off the event loop, then connected on it
            Schedulers.boundedElastic().schedule(() -> {
                InetSocketAddress resolved = new InetSocketAddress(endpoint.address(), endpoint.port());
                client.eventLoop().execute(() -> connect(destination, cluster.get(), target, resolved));
            });
        }
    }

    private void connect(WeightedCluster destination, Cluster cluster, Balancers.Pick target,
            InetSocketAddress address) {
        Channel client = requireNonNull(this.client);
        RelayedConnection connection = requireNonNull(this.connection);
        RelayHandler fromClient = requireNonNull(this.fromClient);
        if (!client.isActive()) {
            return;
        }
        RelayHandler fromBackend = new RelayHandler(connection, false);
        Optional<ConnectionPool> pool = cluster.policy().connectionPool();
        ChannelFuture connecting = new Bootstrap()
                .group(client.eventLoop())
                // an accepted channel is of the client kind of its transport (NIO, epoll), which this loop runs
                .channel(client.getClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) pool.flatMap(ConnectionPool::connectTimeout)
                        .orElse(router.connectTimeout()).toMillis())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(fromBackend)
                .connect(address);
        connecting.addListener(future -> {
            if (!future.isSuccess()) {
                log.debug("{}: cannot connect to {}: {}", route.name(), address, future.cause().toString());
                fromClient.discard();
                router.balancers().report(cluster, target, 0);
                connection.failed(meters(destination, target.endpoint(), "UF"));
                return;
            }
            router.balancers().report(cluster, target, CONNECTED);
            Channel backend = connecting.channel();
            connection.opened(backend, meters(destination, target.endpoint(), "-"));
            connection.idleTimeout(pool.flatMap(ConnectionPool::tcpIdleTimeout).orElse(DEFAULT_IDLE_TIMEOUT));
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
