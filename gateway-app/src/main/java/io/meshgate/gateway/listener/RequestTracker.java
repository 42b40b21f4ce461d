package io.meshgate.gateway.listener;

import io.meshgate.gateway.LimitsProperties;
import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http2.Http2StreamChannel;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerState;

/**
 * Tells each connection's {@link ConnectionGuard} when a request's header is complete and when its exchange ends,
 * and gives each HTTP/2 stream its {@link StreamIdleHandler} (over HTTP/1.1 the guard keeps the stream idle timeout
 * of the one request in flight). A request upgraded to WebSocket ends with the WebSocket (its operations take over
 * the request's listener and termination): until then the guard counts it in flight and the stream idle timeout
 * applies, as Envoy's upgraded streams keep only that. {@code HttpServerRequest.isWebsocket()} cannot tell it here:
 * it turns true only once the handler upgrades, after the request is received.
 *
 * <p>The end of an exchange is read from the events reactor-netty already sends, not from a subscription per request
 * (which cost a composite publisher and a close-future listener every request): over HTTP/1.1 the operations of the
 * one exchange in flight send {@code DISCONNECTING} once, when they terminate, a closed connection included; an
 * HTTP/2 stream is a channel of its own that closes when its exchange ends.
 */
final class RequestTracker implements ConnectionObserver {

    private final long streamIdleNanos;
    private final WriteBufferWaterMark streamBuffer;

    RequestTracker(LimitsProperties limits) {
        this.streamIdleNanos = limits.streamIdleTimeout().toNanos();
        int high = limits.connectionBufferBytes();
        this.streamBuffer = new WriteBufferWaterMark(high / 2, high);
    }

    @Override
    public void onStateChange(Connection connection, State newState) {
        if (newState == HttpServerState.REQUEST_RECEIVED) {
            received(connection);
        } else if (newState == State.DISCONNECTING && connection instanceof ChannelOperations<?, ?>
                && !(connection.channel() instanceof Http2StreamChannel)) {
            // at most one HTTP/1.1 exchange is in flight at a time (pipelined requests wait their turn), so an end
            // without a start, such as a request refused before it was received, only finds the count at zero
            ConnectionGuard guard = ConnectionGuard.of(connection.channel());
            if (guard != null) {
                ended(connection.channel(), guard);
            }
        }
    }

    private void received(Connection connection) {
        Channel channel = connection.channel();
        boolean stream = channel instanceof Http2StreamChannel;
        Channel parent = stream ? channel.parent() : channel;
        ConnectionGuard guard = parent == null ? null : ConnectionGuard.of(parent);
        if (stream) {
            // what one stream may have waiting for the client, as the connection's own buffer
            channel.config().setWriteBufferWaterMark(streamBuffer);
            if (streamIdleNanos != 0 && channel.pipeline().get(StreamIdleHandler.NAME) == null) {
                channel.pipeline().addFirst(StreamIdleHandler.NAME, new StreamIdleHandler(streamIdleNanos));
            }
        }
        if (guard == null) {
            return;
        }
        if (guard.requestStarted(stream) && connection instanceof HttpServerResponse response) {
            response.keepAlive(false);
        }
        if (stream) {
            channel.closeFuture().addListener(closed -> ended(channel, guard));
        }
    }

    private static void ended(Channel channel, ConnectionGuard guard) {
        if (channel.eventLoop().inEventLoop()) {
            guard.requestEnded();
        } else {
            channel.eventLoop().execute(guard::requestEnded);
        }
    }
}
