package io.meshgate.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on client connections of the Gateway listeners ({@code gateway.limits.*}), after Envoy's edge guidance and
 * nginx; {@code docs/connection-limits.md} says why each default is what it is. A duration of zero turns its limit
 * off.
 *
 * @param requestHeadersTimeout how long a client may take to send a complete request header, counted from the
 *     connection (TLS handshake included) for the first request and from the first byte of each later one (nginx
 *     {@code client_header_timeout}, Envoy {@code request_headers_timeout})
 * @param idleTimeout how long a connection may stay without a request in flight before it is closed (HTTP/2 with
 *     GOAWAY); Envoy's {@code common_http_protocol_options.idle_timeout}
 * @param streamIdleTimeout how long a request may make no progress in either direction (no byte read from the client,
 *     none of the response taken by it) before it is reset; Envoy's {@code stream_idle_timeout}
 * @param maxConnectionDuration how long a connection may live; once that old it is drained (HTTP/1.1 closes after the
 *     response in flight, HTTP/2 sends GOAWAY); zero, the default, keeps connections as long as they are used
 * @param maxConnectionsPerSource the most connections open at once from one client address; zero for no limit
 * @param connectionBufferBytes how much response data one connection (HTTP/1.1) or one stream (HTTP/2) may have
 *     waiting for the client before the gateway stops reading the upstream (the channel's write high-water mark);
 *     Envoy's {@code per_connection_buffer_limit_bytes}
 * @param http2ConnectionBufferBytes how much response data all the streams of one HTTP/2 connection together may
 *     have waiting for the client before the gateway stops reading their upstreams, until it falls to half of it;
 *     zero for no bound beyond the per-stream one
 * @param http2MaxConcurrentStreams the streams one HTTP/2 connection may have open at once
 * @param http2InitialStreamWindowSize the HTTP/2 flow-control window of each stream: how much of a request body a
 *     client may send before the gateway reads it
 */
@ConfigurationProperties("gateway.limits")
public record LimitsProperties(@DefaultValue("10s") Duration requestHeadersTimeout,
        @DefaultValue("60s") Duration idleTimeout, @DefaultValue("5m") Duration streamIdleTimeout,
        @DefaultValue("0s") Duration maxConnectionDuration, @DefaultValue("1024") int maxConnectionsPerSource,
        @DefaultValue("32768") int connectionBufferBytes, @DefaultValue("1048576") int http2ConnectionBufferBytes,
        @DefaultValue("100") int http2MaxConcurrentStreams, @DefaultValue("65535") int http2InitialStreamWindowSize) {

    public LimitsProperties {
        for (Duration d : new Duration[] {requestHeadersTimeout, idleTimeout, streamIdleTimeout,
                maxConnectionDuration}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("gateway.limits: " + d + " (expected: >= 0)");
            }
        }
        if (http2ConnectionBufferBytes != 0 && http2ConnectionBufferBytes < connectionBufferBytes) {
            throw new IllegalArgumentException("gateway.limits: http2ConnectionBufferBytes="
                    + http2ConnectionBufferBytes + " (expected: 0, or >= connectionBufferBytes " + connectionBufferBytes
                    + ")");
        }
        if (maxConnectionsPerSource < 0 || connectionBufferBytes < 1024 || http2MaxConcurrentStreams <= 0
                || http2InitialStreamWindowSize < 1024) {
            throw new IllegalArgumentException("gateway.limits: maxConnectionsPerSource=" + maxConnectionsPerSource
                    + ", connectionBufferBytes=" + connectionBufferBytes + ", http2MaxConcurrentStreams="
                    + http2MaxConcurrentStreams + ", http2InitialStreamWindowSize=" + http2InitialStreamWindowSize
                    + " (expected: >= 0, >= 1024, > 0, >= 1024)");
        }
    }
}
