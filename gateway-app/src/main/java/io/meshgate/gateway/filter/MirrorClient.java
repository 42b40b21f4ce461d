package io.meshgate.gateway.filter;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.meshgate.gateway.tls.UpstreamTlsClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.HttpProtocol;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends mirrored requests and forgets them. It has its own connection pool, bounded in connections and waiting
 * requests, so mirror traffic can neither starve nor slow the main proxy's pool; every exchange is cut off after its
 * timeout, and answers are read and dropped. Like the main proxy it speaks HTTP/2 to clusters whose port says so
 * and originates TLS where a DestinationRule asks for it.
 *
 * <p>It wraps its {@link HttpClient} instead of being one: an {@code HttpClient} bean would replace the client that
 * Spring Cloud Gateway's proxy builds for itself.
 */
public final class MirrorClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MirrorClient.class);

    private final ConnectionProvider pool;
    private final HttpClient client;
    private final HttpClient h2c;
    private final UpstreamTlsClients tlsClients;

    /**
     * Creates the client and its pool.
     *
     * @param timeout the longest any one exchange may take
     * @param maxConnections the connections open to all mirror endpoints together
     * @param maxPendingAcquires the requests that may wait for a connection; beyond that they fail at once
     * @param configDir where mirror clusters' TLS credentials are looked up, as for the main proxy
     */
    public MirrorClient(Duration timeout, int maxConnections, int maxPendingAcquires, Path configDir) {
        this.pool = ConnectionProvider.builder("meshgate-mirror")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(maxPendingAcquires)
                .pendingAcquireTimeout(timeout)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.client = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout.toMillis(), 10_000))
                .responseTimeout(timeout);
        this.h2c = client.protocol(HttpProtocol.H2C);
        this.tlsClients = new UpstreamTlsClients(configDir, client);
    }

    /**
     * Starts sending {@code shadow} and returns at once; nothing about the exchange reaches the caller but its
     * outcome, given to {@code outcome} once: the response status, or 0 when there was none (not sent, failed,
     * timed out).
     */
    void send(ShadowRequest shadow, Duration timeout, IntConsumer outcome) {
        if (shadow.tls().isEmpty()) {
            send(shadow.http2() ? h2c : client, shadow, timeout, outcome);
            return;
        }
        tlsClients.client(shadow.tls().get(), shadow.http2()).subscribe(http -> send(http, shadow, timeout, outcome),
                error -> {
                    log.debug("Mirror request {} {} not sent: {}", shadow.method(), shadow.uri(), error.getMessage());
                    outcome.accept(0);
                });
    }

    private void send(HttpClient http, ShadowRequest shadow, Duration timeout, IntConsumer outcome) {
        HttpClient.RequestSender request = http
                .headers(h -> shadow.headers().forEach(h::set))
                .request(io.netty.handler.codec.http.HttpMethod.valueOf(shadow.method().name()))
                .uri(shadow.uri());
        HttpClient.ResponseReceiver<?> exchange = shadow.body().isEmpty() ? request
                : request.send(shadow.body().get().map(Unpooled::wrappedBuffer));
        // reactor-netty releases every received buffer once it is passed on, so draining the body leaks nothing
        exchange.response((response, body) -> body.then(Mono.just(response.status().code())))
                .next()
                .timeout(timeout)
                .subscribe(outcome::accept, error -> {
                    log.debug("Mirror request {} {} failed: {}", shadow.method(), shadow.uri(), error.toString());
                    outcome.accept(0);
                });
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
