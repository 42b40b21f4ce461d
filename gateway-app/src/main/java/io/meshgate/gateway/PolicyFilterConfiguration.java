package io.meshgate.gateway;

import io.meshgate.gateway.filter.CorsFilter;
import io.meshgate.gateway.filter.MirrorClient;
import io.meshgate.gateway.filter.MirrorFilter;
import io.meshgate.gateway.lb.Balancers;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The route policies that act beside the forward itself: request mirroring and CORS. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MirrorProperties.class)
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

    @Bean
    CorsFilter corsFilter() {
        return new CorsFilter();
    }
}
