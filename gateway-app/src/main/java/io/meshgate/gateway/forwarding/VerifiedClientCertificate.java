package io.meshgate.gateway.forwarding;

import io.meshgate.gateway.listener.ServerConnection;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import reactor.netty.Connection;

/**
 * The XFCC element of the certificate a client presented in the TLS handshake of its connection, which only MUTUAL
 * and OPTIONAL_MUTUAL servers ask for and which the handshake verified. It is built once per TLS connection and kept
 * on the channel that holds the TLS handler (an HTTP/2 connection's, for all its streams).
 */
final class VerifiedClientCertificate {

    private static final AttributeKey<String> DETAILS = AttributeKey.valueOf("meshgate.xfcc");

    private VerifiedClientCertificate() {
    }

    /** The XFCC element for the request's client certificate, or null when the client presented none. */
    static @Nullable String details(ServerHttpRequest request) {
        SslInfo ssl = request.getSslInfo();
        X509Certificate[] peer = ssl == null ? null : ssl.getPeerCertificates();
        if (peer == null || peer.length == 0) {
            return null;
        }
        Channel tls = tlsChannel(request);
        if (tls == null) {
            return ClientCertDetails.of(peer[0], Optional.empty());
        }
        String cached = tls.attr(DETAILS).get();
        if (cached != null) {
            return cached;
        }
        String details = ClientCertDetails.of(peer[0], localCertificate(tls));
        tls.attr(DETAILS).set(details);
        return details;
    }

    private static @Nullable Channel tlsChannel(ServerHttpRequest request) {
        Connection connection = ServerConnection.of(request);
        if (connection == null) {
            return null;
        }
        for (Channel channel = connection.channel(); channel != null; channel = channel.parent()) {
            if (channel.pipeline().get(SslHandler.class) != null) {
                return channel;
            }
        }
        return null;
    }

    private static Optional<Certificate> localCertificate(Channel tls) {
        SslHandler handler = tls.pipeline().get(SslHandler.class);
        SSLSession session = handler == null ? null : handler.engine().getSession();
        Certificate[] local = session == null ? null : session.getLocalCertificates();
        return local == null || local.length == 0 ? Optional.empty() : Optional.of(local[0]);
    }
}
