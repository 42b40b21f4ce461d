package io.meshgate.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider;

/**
 * Keeps pooled upstream connections from racing the backend's own idle timeout, a common source of 503 UC: a
 * backend that says how long it keeps an idle connection ({@code Keep-Alive: timeout=N}, as Node.js, Apache and
 * others send it) gets it closed by the gateway a second before that; other connections are closed after the pool's
 * idle timeout (Istio's {@code http.idleTimeout} default, one hour). Idle connections are checked every second.
 */
final class KeepAliveHint {

    /** How often idle pooled connections are looked at. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private static final AttributeKey<Long> IDLE_LIMIT_MILLIS = AttributeKey.valueOf("meshgate.idleLimitMillis");

    private KeepAliveHint() {
    }

    /** Records the backend's keep-alive timeout from a response's {@code Keep-Alive} header, if it has one. */
    static void remember(Connection connection, @Nullable String keepAlive) {
        if (keepAlive == null) {
            return;
        }
        long seconds = timeoutSeconds(keepAlive);
        if (seconds > 0) {
            connection.channel().attr(IDLE_LIMIT_MILLIS).set(Math.max(0, seconds * 1000 - 1000));
        }
    }

    /** The {@code timeout} of a {@code Keep-Alive} header value ({@code timeout=5, max=1000}); -1 without one. */
    static long timeoutSeconds(String keepAlive) {
        for (String part : keepAlive.split(",")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("timeout")) {
                try {
                    return Long.parseLong(pair[1].strip());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The pool's eviction rule: idle longer than the backend's hint allows, or than {@code maxIdle}. */
    static ConnectionProvider.Builder evicting(ConnectionProvider.Builder pool, Duration maxIdle) {
        long maxIdleMillis = maxIdle.toMillis();
        return pool.evictInBackground(CHECK_EVERY).evictionPredicate((connection, metadata) -> {
            Channel channel = connection.channel();
            if (!channel.isActive()) {
                return true;
            }
            Long hint = channel.attr(IDLE_LIMIT_MILLIS).get();
            long limit = hint == null ? maxIdleMillis : Math.min(hint, maxIdleMillis);
            return metadata.idleTime() >= limit;
        });
    }
}
