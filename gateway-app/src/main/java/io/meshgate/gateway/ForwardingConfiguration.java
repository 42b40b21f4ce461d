package io.meshgate.gateway;

import io.meshgate.gateway.forwarding.EdgeHeaderSanitizer;
import io.meshgate.gateway.forwarding.TrustedProxies;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What upstreams are told about the client: the edge's header sanitizing and the client certificate. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ForwardingProperties.class)
class ForwardingConfiguration {

    @Bean
    EdgeHeaderSanitizer edgeHeaderSanitizer(ForwardingProperties properties) {
        return new EdgeHeaderSanitizer(TrustedProxies.parse(properties.trustedProxies()),
                properties.preserveExternalRequestId());
    }
}
