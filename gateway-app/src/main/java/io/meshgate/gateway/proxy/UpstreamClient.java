package io.meshgate.gateway.proxy;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP client of the proxy and its connection pool. Connections are kept alive and reused; the pool grows with
 * the concurrency, as Envoy's does without a {@code connectionPool} limit.
 *
 * @param connectTimeout how long a connection may take to open (Envoy's default: 10 s)
 * @param idleTimeout how long an upstream may stay silent while the gateway waits for its response or its body
 */
public final class UpstreamClient implements AutoCloseable {

    private final ConnectionProvider pool;
    private final HttpClient client;

    public UpstreamClient(Duration connectTimeout, Duration idleTimeout) {
        this.pool = ConnectionProvider.builder("meshgate-upstream")
                .maxConnections(Integer.MAX_VALUE)
                .pendingAcquireTimeout(Duration.ZERO)
                .pendingAcquireMaxCount(-1)
                .build();
        this.client = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(connectTimeout.toMillis(),
                        Integer.MAX_VALUE))
                .responseTimeout(idleTimeout);
    }

    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
