package io.meshgate.gateway;

import io.meshgate.gateway.filter.CorsFilter;
import io.meshgate.gateway.filter.MirrorClient;
import io.meshgate.gateway.filter.MirrorFilter;
import io.meshgate.gateway.lb.Balancers;
import io.meshgate.gateway.ratelimit.RateLimitFilter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The route policies that act beside the forward itself: rate limits, request mirroring and CORS. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({MirrorProperties.class, RateLimitProperties.class})
class PolicyFilterConfiguration {

    @Bean(destroyMethod = "close")
    MirrorClient mirrorClient(MirrorProperties properties, GatewayProperties gateway) {
        return new MirrorClient(properties.timeout(), properties.maxConnections(), properties.maxPendingAcquires(),
                gateway.configDir());
    }

    @Bean
    MirrorFilter mirrorFilter(MirrorClient client, Balancers balancers, MirrorProperties properties) {
        return new MirrorFilter(client, balancers, properties.timeout(), properties.maxBodyBytes());
    }

    @Bean(destroyMethod = "close")
    RateLimitFilter rateLimitFilter(RateLimitProperties properties, MeterRegistry registry) {
        return new RateLimitFilter(properties, registry);
    }

    @Bean
    CorsFilter corsFilter() {
        return new CorsFilter();
    }
}
