package io.meshgate.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The buckets of global rules, in Redis, shared by every gateway replica that uses the same Redis: Bucket4j's
 * compare-and-swap proxy over Lettuce, so two replicas never both spend the same token. A request waits at most
 * {@code timeout} for Redis. While Redis is down, commands fail at once rather than queue, and the client reconnects
 * every half second; the first connection is retried the same way, so the gateway starts, and recovers, without
 * Redis. Keys expire once their bucket would be full again.
 */
final class GlobalBuckets implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GlobalBuckets.class);
    private static final Duration RECONNECT = Duration.ofMillis(500);

    private final RedisURI uri;
    private final Duration timeout;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService connector;
    private volatile @Nullable AsyncProxyManager<byte[]> buckets;
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private volatile boolean closed;
    /** Connection attempts that failed in a row (touched by the connector thread only). */
    private int failedAttempts;
    /**
     * A proxy per bucket key in use, so that this process's concurrent requests for one key are sent to Redis as
     * one batch (Bucket4j's batching): one compare-and-swap instead of many that conflict.
     */
    private final Cache<String, AsyncBucketProxy> proxies;

    GlobalBuckets(String redisUri, Duration timeout, int maxProxies) {
        this.proxies = Caffeine.newBuilder().maximumSize(maxProxies).expireAfterAccess(Duration.ofMinutes(1)).build();
        this.uri = RedisURI.create(redisUri);
        this.uri.setTimeout(timeout);
        this.timeout = timeout;
        this.resources = ClientResources.builder().reconnectDelay(Delay.constant(RECONNECT)).build();
        this.client = RedisClient.create(resources);
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        this.connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ratelimit-redis-connect");
            thread.setDaemon(true);
            return thread;
        });
        connector.execute(this::connect);
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            StatefulRedisConnection<byte[], byte[]> connected = client.connect(ByteArrayCodec.INSTANCE, uri);
            connection = connected;
            proxies.invalidateAll();
            buckets = Bucket4jLettuce.casBasedBuilder(connected)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy
                            .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
                    .requestTimeout(timeout)
                    .build()
                    .asAsync();
            log.info("Rate limits: connected to Redis at {}:{}", uri.getHost(), uri.getPort());
        } catch (RuntimeException e) {
            // said once; the attempts that follow are logged at debug level
            if (failedAttempts++ == 0) {
                log.warn("Rate limits: cannot connect to Redis at {}:{} ({}); retrying every {} ms", uri.getHost(),
                        uri.getPort(), e.getMessage(), RECONNECT.toMillis());
            } else {
                log.debug("Rate limits: still cannot connect to Redis: {}", e.getMessage());
            }
            connector.schedule(this::connect, RECONNECT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Takes a token from the bucket of {@code key} of {@code rule}; fails when Redis cannot say in time. */
    Mono<Decision> consume(RuleBuckets rule, String key) {
        AsyncProxyManager<byte[]> current = buckets;
        if (current == null) {
            return Mono.error(new IllegalStateException("not connected to Redis"));
        }
        AsyncBucketProxy bucket = proxies.get(rule.redisKey(key), redisKey -> current.builder()
                .withOptimization(Optimizations.batching())
                .build(redisKey.getBytes(StandardCharsets.UTF_8), rule.configuration()));
        CompletableFuture<Decision> decision = bucket.tryConsumeAndReturnRemaining(1).thenApply(Decision::of);
        return Mono.fromFuture(decision).timeout(timeout);
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        StatefulRedisConnection<byte[], byte[]> open = connection;
        if (open != null) {
            open.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
}
