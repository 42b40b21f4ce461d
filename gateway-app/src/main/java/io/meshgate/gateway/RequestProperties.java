package io.meshgate.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on the requests clients send ({@code gateway.requests.*}).
 *
 * @param maxHeadersCount the most header fields a request may carry (each line counts, repeated names included);
 *     past it the request gets 431, as Envoy's {@code max_headers_count} (default 100)
 */
@ConfigurationProperties("gateway.requests")
public record RequestProperties(@DefaultValue("100") int maxHeadersCount) {
    public RequestProperties {
        if (maxHeadersCount <= 0) {
            throw new IllegalArgumentException("gateway.requests.max-headers-count: " + maxHeadersCount
                    + " (expected: > 0)");
        }
    }
}
