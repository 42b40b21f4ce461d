package io.meshgate.gateway;

import io.meshgate.gateway.actuator.GatewayConfigEndpoint;
import io.meshgate.gateway.filter.DestinationFilter;
import io.meshgate.gateway.filter.DirectResponseFilter;
import io.meshgate.gateway.filter.FaultFilter;
import io.meshgate.gateway.filter.HeaderPolicyFilter;
import io.meshgate.gateway.filter.RewriteFilter;
import io.meshgate.gateway.listener.BoundPorts;
import io.meshgate.gateway.listener.ListenerWebServerFactory;
import io.meshgate.gateway.listener.PortMap;
import io.meshgate.gateway.route.IstioRouteLocator;
import io.meshgate.gateway.route.IstioRoutingWebFilter;
import io.meshgate.gateway.route.EdgeHeadersFilter;
import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.telemetry.IstioMetricsWebFilter;
import io.meshgate.gateway.telemetry.IstioRequestMetrics;
import io.meshgate.translator.translate.TranslatorOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's beans: the config runner, the listeners, the single Istio route and its filters, metrics. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewayConfiguration {

    @Bean(destroyMethod = "close")
    ConfigRunner configRunner(GatewayProperties properties) {
        ConfigRunner runner = new ConfigRunner(properties.configDir(), TranslatorOptions.DEFAULTS);
        runner.start(properties.pollInterval());
        return runner;
    }

    @Bean
    BoundPorts boundPorts() {
        return new BoundPorts();
    }

    @Bean
    ListenerWebServerFactory listenerWebServerFactory(ConfigRunner runner, BoundPorts ports,
            GatewayProperties properties) {
        return ListenerWebServerFactory.forListeners(runner, PortMap.parse(properties.portMap()), ports,
                properties.bindAddress(), Duration.ofSeconds(30));
    }

    @Bean
    IstioRoutingWebFilter istioRoutingWebFilter(ConfigRunner runner, BoundPorts ports) {
        return new IstioRoutingWebFilter(runner, ports);
    }

    @Bean
    IstioRouteLocator istioRouteLocator() {
        return new IstioRouteLocator();
    }

    @Bean
    EdgeHeadersFilter edgeHeadersFilter() {
        return new EdgeHeadersFilter();
    }

    @Bean
    FaultFilter faultFilter() {
        return new FaultFilter();
    }

    @Bean
    HeaderPolicyFilter headerPolicyFilter() {
        return new HeaderPolicyFilter();
    }

    @Bean
    DirectResponseFilter directResponseFilter() {
        return new DirectResponseFilter();
    }

    @Bean
    RewriteFilter rewriteFilter() {
        return new RewriteFilter();
    }

    @Bean
    DestinationFilter destinationFilter() {
        return new DestinationFilter();
    }

    @Bean
    IstioMetricsWebFilter istioMetricsWebFilter(MeterRegistry registry) {
        return new IstioMetricsWebFilter(new IstioRequestMetrics(registry));
    }

    @Bean
    GatewayConfigEndpoint gatewayConfigEndpoint(ConfigRunner runner) {
        return new GatewayConfigEndpoint(runner);
    }
}
