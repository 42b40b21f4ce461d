package io.meshgate.gateway;

import io.meshgate.gateway.actuator.GatewayConfigEndpoint;
import io.meshgate.gateway.filter.DestinationFilter;
import io.meshgate.gateway.filter.DirectResponseFilter;
import io.meshgate.gateway.filter.FaultFilter;
import io.meshgate.gateway.filter.HeaderPolicyFilter;
import io.meshgate.gateway.filter.RedirectFilter;
import io.meshgate.gateway.filter.RewriteFilter;
import io.meshgate.gateway.forwarding.EdgeHeaderSanitizer;
import io.meshgate.gateway.forwarding.TrustedProxies;
import io.meshgate.gateway.lb.Balancers;
import io.meshgate.gateway.listener.BoundPorts;
import io.meshgate.gateway.listener.ListenerWebServerFactory;
import io.meshgate.gateway.listener.PortMap;
import io.meshgate.gateway.passthrough.PassthroughRouter;
import io.meshgate.gateway.proxy.ResponseWriteFilter;
import io.meshgate.gateway.proxy.UpstreamClient;
import io.meshgate.gateway.proxy.UpstreamProxy;
import io.meshgate.gateway.route.IstioWebHandler;
import io.meshgate.gateway.route.RouteChains;
import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.runner.ConfigWatchProperties;
import io.meshgate.gateway.runner.KubernetesConfig;
import io.meshgate.gateway.telemetry.IstioMetricsWebFilter;
import io.meshgate.gateway.telemetry.IstioRequestMetrics;
import io.meshgate.gateway.telemetry.IstioTcpMetrics;
import io.meshgate.gateway.tls.TlsListeners;
import io.meshgate.translator.translate.TranslatorOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;

/**
 * The gateway's beans: the config runner, the listeners (with TLS passthrough), the request handler with its filters
 * and proxy, metrics.
 * The listeners' {@link HttpHandler} is the gateway's own: Istio metrics around the {@link IstioWebHandler}, which
 * routes with the indexed matcher and runs the route's filter chain, which ends in the {@link UpstreamProxy}. Every
 * {@link GlobalFilter} bean is a filter of that chain, an unordered one right before the proxy; Spring Cloud
 * Gateway's route table, dispatcher and its own global filters are not used (its auto-configuration is excluded in
 * {@code application.yml}). What a filter learns of the request (route, destination, endpoint, tries, flags) is in
 * its {@link io.meshgate.gateway.route.StreamInfo}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({GatewayProperties.class, ConfigWatchProperties.class, RequestProperties.class,
        LimitsProperties.class})
class GatewayConfiguration {

    /**
     * The live configuration, from the config directory (polled) or from the API server (watched). In Kubernetes,
     * credentials named by {@code credentialName} are the gateway namespace's Secrets, written under the config
     * directory's {@code credentials/}.
     */
    @Bean(destroyMethod = "close")
    ConfigRunner configRunner(GatewayProperties properties, ConfigWatchProperties watch, MeterRegistry registry,
            ObjectProvider<KubernetesConfig> kubernetes) {
        if (properties.configSource() == GatewayProperties.ConfigSource.FILES) {
            ConfigRunner runner = new ConfigRunner(properties.configDir(), options(properties.labels(),
                    Optional.empty()), watch, registry);
            runner.start(properties.pollInterval());
            return runner;
        }
        KubernetesConfig cluster = kubernetes.getObject();
        GatewayProperties.Kubernetes settings = properties.kubernetes();
        Map<String, String> labels = settings.podName().isEmpty() ? properties.labels()
                : cluster.podLabels(settings.podName());
        ConfigRunner runner = new ConfigRunner(properties.configDir(), options(labels.isEmpty()
                ? properties.labels() : labels, Optional.of(cluster.namespace())), watch, registry);
        cluster.start(runner, settings.syncTimeout());
        return runner;
    }

    private static TranslatorOptions options(Map<String, String> labels, Optional<String> namespace) {
        return new TranslatorOptions(labels, TranslatorOptions.DEFAULTS.clusterDomain(), namespace);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "gateway.config-source", havingValue = "kubernetes")
    KubernetesConfig kubernetesConfig(GatewayProperties properties) {
        GatewayProperties.Kubernetes settings = properties.kubernetes();
        return new KubernetesConfig(settings.masterUrl(), settings.namespaces(), settings.namespace(),
                properties.configDir().resolve("credentials"), settings.maxEventsPerConfig());
    }

    @Bean
    BoundPorts boundPorts() {
        return new BoundPorts();
    }

    @Bean(destroyMethod = "close")
    TlsListeners tlsListeners(GatewayProperties properties, ConfigRunner runner, MeterRegistry registry) {
        return new TlsListeners(properties.configDir(), runner, registry, Duration.ofSeconds(1));
    }

    @Bean
    PassthroughRouter passthroughRouter(ConfigRunner runner, MeterRegistry registry, Balancers balancers,
            GatewayProperties properties) {
        return new PassthroughRouter(runner, new IstioTcpMetrics(registry), balancers,
                properties.upstreamConnectTimeout());
    }

    @Bean
    ListenerWebServerFactory listenerWebServerFactory(ConfigRunner runner, BoundPorts ports,
            GatewayProperties properties, TlsListeners tls, PassthroughRouter passthrough, LimitsProperties limits,
            ForwardingProperties forwarding) {
        return ListenerWebServerFactory.forListeners(runner, PortMap.parse(properties.portMap()), ports,
                properties.bindAddress(), Duration.ofSeconds(30), tls, passthrough, limits,
                TrustedProxies.parse(forwarding.trustedProxies()));
    }

    @Bean
    HttpHandler httpHandler(ConfigRunner runner, BoundPorts ports, ObjectProvider<GlobalFilter> filters,
            UpstreamProxy proxy, IstioMetricsWebFilter metrics, EdgeHeaderSanitizer edge,
            PathNormalizationProperties paths, RequestProperties requests) {
        List<GlobalFilter> chain = filters.orderedStream().toList();
        RouteChains chains = new RouteChains(chain, (exchange, end) -> proxy.forward(exchange));
        IstioWebHandler routes = new IstioWebHandler(runner, ports, chains, requests.maxHeadersCount(),
                paths.pathNormalization());
        // the metrics see every request, whatever answers it; the headers a client must not set are gone before
        // anything reads them, as in Envoy. Both are called directly: Spring's filter chain costs a checkpoint and a
        // deferred publisher per filter and request
        // built once: a method reference inside the lambda would be a new object every request
        WebFilterChain route = routes::handle;
        WebFilterChain sanitizeThenRoute = exchange -> edge.filter(exchange, route);
        WebHandler measured = exchange -> Mono.defer(() -> metrics.filter(exchange, sanitizeThenRoute));
        return WebHttpHandlerBuilder.webHandler(measured).build();
    }

    @Bean(destroyMethod = "close")
    UpstreamClient upstreamClient(GatewayProperties properties) {
        return new UpstreamClient(properties.upstreamConnectTimeout(), properties.upstreamIdleTimeout());
    }

    @Bean
    UpstreamProxy upstreamProxy(UpstreamClient client, GatewayProperties properties) {
        return new UpstreamProxy(client, properties.configDir());
    }

    @Bean
    ResponseWriteFilter responseWriteFilter() {
        return new ResponseWriteFilter();
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
    RedirectFilter redirectFilter() {
        return new RedirectFilter();
    }

    @Bean
    RewriteFilter rewriteFilter() {
        return new RewriteFilter();
    }

    @Bean
    DestinationFilter destinationFilter(Balancers balancers) {
        return new DestinationFilter(balancers);
    }

    @Bean
    Balancers balancers(MeterRegistry registry) {
        return new Balancers(registry);
    }

    @Bean
    IstioMetricsWebFilter istioMetricsWebFilter(MeterRegistry registry) {
        return new IstioMetricsWebFilter(new IstioRequestMetrics(registry));
    }

    @Bean
    @ConditionalOnBooleanProperty("gateway.training-run")
    TrainingRun trainingRun() {
        return new TrainingRun();
    }

    @Bean
    GatewayConfigEndpoint gatewayConfigEndpoint(ConfigRunner runner, TlsListeners tls, Balancers balancers) {
        return new GatewayConfigEndpoint(runner, tls, balancers);
    }
}
