package io.meshgate.gateway.proxy;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP clients of the proxy and their connection pool: HTTP/1.1, and HTTP/2 over cleartext with prior knowledge
 * (h2c) for destinations that speak HTTP/2, whose requests share connections as streams. Connections are kept alive
 * and reused; the pool grows with the concurrency, as Envoy's does without a {@code connectionPool} limit. Idle
 * connections are closed before a backend's advertised keep-alive timeout would race them ({@link PooledConnections}).
 *
 * @param connectTimeout how long a connection may take to open (Envoy's default: 10 s)
 * @param idleTimeout how long an upstream may stay silent while the gateway waits for its response or its body
 */
public final class UpstreamClient implements AutoCloseable {

    private final ConnectionProvider pool;
    private final HttpClient client;
    private final HttpClient h2c;

    public UpstreamClient(Duration connectTimeout, Duration idleTimeout) {
        this.pool = PooledConnections.evicting(ConnectionProvider.builder("meshgate-upstream")
                .maxConnections(Integer.MAX_VALUE)
                .pendingAcquireTimeout(Duration.ZERO)
                .pendingAcquireMaxCount(-1), PooledConnections.DEFAULT_IDLE)
                .build();
        this.client = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(connectTimeout.toMillis(),
                        Integer.MAX_VALUE))
                .responseTimeout(idleTimeout);
        this.h2c = client.protocol(HttpProtocol.H2C);
    }

    HttpClient client() {
        return client;
    }

    HttpClient h2c() {
        return h2c;
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
