package io.meshgate.gateway.tls;

import io.meshgate.gateway.listener.ServerConnection;
import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.ServerTls;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.netty.Connection;

/**
 * The Gateway server whose TLS settings a connection's handshake was made with, kept on the connection: Envoy gives
 * each server its own filter chain, picked by SNI, and routes the connection's requests with that chain's routes
 * only. It is recorded when the handshake completes, before the connection's first request is read.
 *
 * @param server the {@link Server#name()}
 * @param hosts the server's hosts when the handshake was made
 * @param tls the server's TLS settings when the handshake was made
 */
public record HandshakeServer(String server, List<String> hosts, ServerTls tls) {

    private static final AttributeKey<HandshakeServer> KEY = AttributeKey.valueOf("meshgate.handshakeServer");

    public HandshakeServer {
        requireNonNull(server, "server");
        hosts = List.copyOf(hosts);
        requireNonNull(tls, "tls");
    }

    static HandshakeServer of(Server server, ServerTls tls) {
        return new HandshakeServer(server.name(), server.hosts(), tls);
    }

    /** What the SNI mapping's provider does to each handler it makes: record this server once the handshake is done. */
    Consumer<SslHandler> recorder() {
        return handler -> handler.handshakeFuture().addListener(done -> {
            if (done.isSuccess() && done.getNow() instanceof Channel channel) {
                channel.attr(KEY).set(this);
            }
        });
    }

    /** The server of a request's TLS connection, or null on a plain-text connection. */
    public static @Nullable HandshakeServer of(ServerHttpRequest request) {
        Channel connection = connection(request);
        return connection != null && connection.hasAttr(KEY) ? connection.attr(KEY).get() : null;
    }

    /** Whether the request came in an HTTP/2 stream, where a connection serves requests for several hosts. */
    public static boolean isHttp2(ServerHttpRequest request) {
        return channel(request) instanceof Http2StreamChannel;
    }

    /**
     * Whether the port's listener still has this server with the hosts and TLS settings of the handshake. When the
     * server changed (a SIMPLE server made MUTUAL, say), a connection made before must not keep serving requests:
     * Envoy drains the connections of a filter chain that changed.
     */
    public boolean unchangedIn(Listener listener) {
        for (Server current : listener.servers()) {
            if (current.name().equals(server)) {
                return current.tls().map(t -> t == tls || t.equals(tls)).orElse(false) && current.hosts().equals(hosts);
            }
        }
        return false;
    }

    private static @Nullable Channel connection(ServerHttpRequest request) {
        Channel channel = channel(request);
        return channel instanceof Http2StreamChannel stream ? stream.parent() : channel;
    }

    private static @Nullable Channel channel(ServerHttpRequest request) {
        Connection connection = ServerConnection.of(request);
        return connection == null ? null : connection.channel();
    }
}
