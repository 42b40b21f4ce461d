package io.meshgate.gateway.listener;

import io.meshgate.gateway.LimitsProperties;
import io.meshgate.gateway.forwarding.TrustedProxies;
import io.meshgate.gateway.proxy.ConnectionBuffer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import reactor.netty.http.server.HttpServer;

/**
 * What every Gateway listener enforces on its client connections ({@link LimitsProperties}): the connection
 * deadlines and the HTTP/1.1 stream idle timeout ({@link ConnectionGuard}), the HTTP/2 stream idle timeout
 * ({@link RequestTracker}), the per-address connection cap ({@link SourceConnections}, trusted proxies exempt), the
 * write buffer past which a connection stops taking response data (the proxy then stops reading the upstream), the
 * sum of it over an HTTP/2 connection's streams ({@link ConnectionBuffer}) and the HTTP/2 settings that bound what
 * one connection may make the gateway hold.
 */
final class ClientLimits {

    private final LimitsProperties limits;
    private final SourceConnections sources;
    private final RequestTracker tracker;

    ClientLimits(LimitsProperties limits, TrustedProxies trusted) {
        this.limits = limits;
        this.sources = new SourceConnections(limits.maxConnectionsPerSource(), trusted);
        this.tracker = new RequestTracker(limits);
    }

    /** The server with these limits; call it before any other {@code doOnChannelInit} so the guard comes first. */
    HttpServer apply(HttpServer server) {
        int high = limits.connectionBufferBytes();
        return server
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
                .http2Settings(h2 -> h2.maxConcurrentStreams(limits.http2MaxConcurrentStreams())
                        .initialWindowSize(limits.http2InitialStreamWindowSize()))
                .childObserve(tracker)
                .doOnChannelInit((observer, channel, remote) -> {
                    if (!sources.admit(channel, remote != null ? remote : channel.remoteAddress())) {
                        channel.config().setAutoRead(false);
                        channel.close();
                        return;
                    }
                    channel.pipeline().addFirst(ConnectionGuard.NAME, new ConnectionGuard(limits));
                    if (limits.http2ConnectionBufferBytes() != 0) {
                        ConnectionBuffer.install(channel, limits.http2ConnectionBufferBytes());
                    }
                });
    }
}
