package io.meshgate.gateway.proxy;

import io.meshgate.translator.ir.ConnectionPool;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider;

/**
 * When a pooled upstream connection stops being reused. Each connection remembers, from the requests it carried,
 * the limits that apply to it, and the pool closes it (when idle, checked every second, or when it would be reused):
 * <ul>
 *   <li>a second before the backend's own idle timeout, when the backend says it ({@code Keep-Alive: timeout=N},
 *       as Node.js, Apache and others send it), so that a reused connection does not race the backend's close (a
 *       common source of 503 UC);
 *   <li>after the DestinationRule's {@code connectionPool.http.idleTimeout} idle, else Istio's default, one hour;
 *   <li>once it is {@code connectionPool.tcp.maxConnectionDuration} old;
 *   <li>once it carried {@code connectionPool.http.maxRequestsPerConnection} requests.
 * </ul>
 */
final class PooledConnections {

    /** How often idle pooled connections are looked at. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    /** Istio's default {@code http.idleTimeout}. */
    static final Duration DEFAULT_IDLE = Duration.ofHours(1);

    private static final AttributeKey<Long> IDLE_LIMIT_MILLIS = AttributeKey.valueOf("meshgate.idleLimitMillis");
    private static final AttributeKey<Long> LIFE_LIMIT_MILLIS = AttributeKey.valueOf("meshgate.lifeLimitMillis");
    private static final AttributeKey<int[]> REQUESTS = AttributeKey.valueOf("meshgate.requests");
    private static final AttributeKey<Boolean> RETIRED = AttributeKey.valueOf("meshgate.retired");

    private PooledConnections() {
    }

    /**
     * Records what applies to the connection a response came on: the backend's {@code Keep-Alive} timeout, if it
     * says one, and the cluster's {@code connectionPool} limits, if it has any.
     */
    static void remember(Connection connection, @Nullable String keepAlive, @Nullable ConnectionPool pool) {
        Channel channel = connection.channel();
        long idle = Long.MAX_VALUE;
        if (keepAlive != null) {
            long seconds = timeoutSeconds(keepAlive);
            if (seconds > 0) {
                idle = Math.max(0, seconds * 1000 - 1000);
            }
        }
        if (pool != null) {
            Optional<Duration> clusterIdle = pool.httpIdleTimeout();
            if (clusterIdle.isPresent()) {
                idle = Math.min(idle, clusterIdle.get().toMillis());
            }
            pool.maxConnectionDuration().ifPresent(d -> channel.attr(LIFE_LIMIT_MILLIS).set(d.toMillis()));
            Optional<Integer> maxRequests = pool.maxRequestsPerConnection();
            if (maxRequests.isPresent() && maxRequests.get() > 0) {
                int[] carried = channel.attr(REQUESTS).setIfAbsent(new int[1]);
                carried = carried == null ? channel.attr(REQUESTS).get() : carried;
                if (++carried[0] >= maxRequests.get()) {
                    channel.attr(RETIRED).set(Boolean.TRUE);
                }
            }
        }
        if (idle != Long.MAX_VALUE) {
            channel.attr(IDLE_LIMIT_MILLIS).set(idle);
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

    /** The pool's eviction rule, from what each connection remembers, else {@code maxIdle}. */
    static ConnectionProvider.Builder evicting(ConnectionProvider.Builder pool, Duration maxIdle) {
        long maxIdleMillis = maxIdle.toMillis();
        return pool.evictInBackground(CHECK_EVERY).evictionPredicate((connection, metadata) -> {
            Channel channel = connection.channel();
            if (!channel.isActive() || Boolean.TRUE.equals(channel.attr(RETIRED).get())) {
                return true;
            }
            Long life = channel.attr(LIFE_LIMIT_MILLIS).get();
            if (life != null && metadata.lifeTime() >= life) {
                return true;
            }
            Long idle = channel.attr(IDLE_LIMIT_MILLIS).get();
            return metadata.idleTime() >= (idle == null ? maxIdleMillis : Math.min(idle, maxIdleMillis));
        });
    }
}
