package io.meshgate.gateway;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which clients the gateway trusts with the headers a proxy in front of it sets ({@code gateway.forwarding.*}).
 *
 * @param trustedProxies address ranges ({@code 10.0.0.0/8}, {@code 192.0.2.7}) of the proxies in front of the
 *     gateway whose {@code x-envoy-*}, {@code x-forwarded-client-cert}, {@code x-forwarded-proto} and
 *     {@code x-request-id} are kept; empty by default, so every client is external, loopback and private ranges
 *     included
 * @param preserveExternalRequestId whether an external client's {@code x-request-id} is kept instead of replaced
 *     (Envoy's {@code preserve_external_request_id}, off by default)
 */
@ConfigurationProperties("gateway.forwarding")
public record ForwardingProperties(@DefaultValue List<String> trustedProxies,
        @DefaultValue("false") boolean preserveExternalRequestId) {
    public ForwardingProperties {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
