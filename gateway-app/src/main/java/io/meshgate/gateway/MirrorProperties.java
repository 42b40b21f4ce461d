package io.meshgate.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the mirror (shadow) traffic ({@code gateway.mirror.*}). Mirrors are fire-and-forget, so every resource
 * they hold is bounded here rather than by anyone waiting for them.
 *
 * @param timeout the longest one mirrored exchange may take, from connecting to the last byte of the answer; a
 *     route's shorter {@code timeout} wins
 * @param maxConnections the connections open to all mirror endpoints together
 * @param maxPendingAcquires the mirrored requests that may wait for a connection; beyond that they are dropped
 * @param maxBodyBytes the largest request body ({@code Content-Length}) that is mirrored; larger and chunked bodies
 *     are not mirrored, so a copy never needs more memory than this
 */
@ConfigurationProperties("gateway.mirror")
public record MirrorProperties(@DefaultValue("5s") Duration timeout, @DefaultValue("128") int maxConnections,
        @DefaultValue("512") int maxPendingAcquires, @DefaultValue("65536") int maxBodyBytes) {
    public MirrorProperties {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("gateway.mirror.timeout: " + timeout + " (expected: > 0)");
        }
        if (maxConnections <= 0 || maxPendingAcquires <= 0 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("gateway.mirror: maxConnections=" + maxConnections
                    + ", maxPendingAcquires=" + maxPendingAcquires + ", maxBodyBytes=" + maxBodyBytes
                    + " (expected: > 0, > 0, >= 0)");
        }
    }
}
