package io.meshgate.gateway.passthrough;

import io.meshgate.gateway.telemetry.IstioTcpMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in the pipeline of a connection to a port with {@code PASSTHROUGH} servers: buffers the TLS ClientHello, reads
 * its SNI name and, without terminating TLS, relays the connection ({@link TcpRelay}), steps aside for the port's TLS
 * termination (the buffered bytes go on to it), or closes the connection when no route takes the name (NR), as Envoy
 * closes a connection no filter chain matches. A client that sends no ClientHello in time is closed too.
 */
final class SniRoutingHandler extends AbstractSniHandler<SniRoutes.@Nullable Target> {

    private static final Logger log = LoggerFactory.getLogger(SniRoutingHandler.class);

    private final int gatewayPort;
    private final PassthroughRouter router;
    private PassthroughRouter.@Nullable Decision decision;

    SniRoutingHandler(int gatewayPort, PassthroughRouter router) {
        super(PassthroughRouter.CLIENT_HELLO_TIMEOUT.toMillis());
        this.gatewayPort = gatewayPort;
        this.router = router;
    }

    @Override
    protected Future<SniRoutes.@Nullable Target> lookup(ChannelHandlerContext ctx, @Nullable String hostname) {
        decision = router.decide(gatewayPort, hostname);
        return ctx.executor().newSucceededFuture(decision.target());
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, @Nullable String hostname,
            Future<SniRoutes.@Nullable Target> future) {
        PassthroughRouter.Decision made = decision;
        SniRoutes.Target target = future.getNow();
        if (made == null || target == null) {
            log.debug("Gateway port {}: no route for SNI {}; connection closed", gatewayPort, hostname);
            IstioTcpMetrics.Meters meters = router.metrics().of(IstioTcpMetrics.Labels.unrouted("NR"));
            meters.opened().increment();
            meters.closed().increment();
            ctx.close();
            return;
        }
        if (target instanceof SniRoutes.Relay relay) {
            removeOthers(ctx);
            new TcpRelay(router, made.config(), relay.route()).start(ctx);
        }
        // the buffered ClientHello goes on to the next handler: the relay, or the port's TLS termination
        ctx.pipeline().remove(this);
    }

    /** A relayed connection carries no HTTP: the listener's TLS and HTTP handlers leave its pipeline. */
    private static void removeOthers(ChannelHandlerContext ctx) {
        List<ChannelHandler> others = new ArrayList<>();
        ctx.pipeline().forEach(entry -> {
            if (entry.getValue() != ctx.handler()) {
                others.add(entry.getValue());
            }
        });
        others.forEach(ctx.pipeline()::remove);
    }
}
