package io.meshgate.gateway;

import io.meshgate.gateway.filter.RetryFilter;
import io.meshgate.gateway.filter.TimeoutFilter;
import io.meshgate.gateway.lb.Balancers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Route timeouts and retries around the proxy: Istio's {@code timeout} and {@code retries}, as Envoy applies them. */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    @Bean
    TimeoutFilter timeoutFilter() {
        return new TimeoutFilter();
    }

    @Bean
    RetryFilter retryFilter(Balancers balancers) {
        return new RetryFilter(balancers);
    }
}
