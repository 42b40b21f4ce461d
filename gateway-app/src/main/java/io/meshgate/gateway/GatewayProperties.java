package io.meshgate.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's own settings ({@code gateway.*}).
 *
 * @param configDir the directory of Istio resources to serve
 * @param portMap Gateway server ports mapped to the local ports bound, as {@code 80:8080,443:8443}; a port not
 *     listed is bound as written
 * @param pollInterval how often the config directory is checked for changes
 * @param bindAddress the address listeners bind to
 * @param upstreamConnectTimeout how long a connection to an upstream may take to open (Envoy's default: 10 s)
 * @param upstreamIdleTimeout how long an upstream may stay silent, before its response or within its body, before
 *     the request fails with 504 (UT); Envoy's stream idle timeout
 * @param configSource where the Istio resources come from: {@code files} (the config directory, the default) or
 *     {@code kubernetes} (the API server)
 * @param labels this gateway's labels: a Gateway applies when its {@code selector} is a subset of them (Istio's
 *     ingress gateway label {@code istio: ingressgateway} by default); in Kubernetes, the pod's own labels when
 *     {@code kubernetes.pod-name} is set
 * @param kubernetes the Kubernetes source's settings
 */
@ConfigurationProperties("gateway")
public record GatewayProperties(Path configDir, String portMap, Duration pollInterval, String bindAddress,
        Duration upstreamConnectTimeout, Duration upstreamIdleTimeout, ConfigSource configSource,
        Map<String, String> labels, Kubernetes kubernetes) {

    /** Where the Istio resources come from. */
    public enum ConfigSource { FILES, KUBERNETES }

    /**
     * How the gateway reads the API server ({@code gateway.kubernetes.*}).
     *
     * @param masterUrl the API server; empty for the usual discovery (in-cluster service account, else
     *     {@code KUBECONFIG} or {@code ~/.kube/config})
     * @param namespaces the namespaces whose resources are read; empty for all
     * @param namespace the gateway's own namespace, whose TLS Secrets serve {@code credentialName}; by default the
     *     service account's namespace, else {@code istio-system}
     * @param podName this pod's name (the downward API's {@code metadata.name}), whose labels select Gateways
     * @param syncTimeout how long startup waits for the first list of every kind
     * @param maxEventsPerConfig the most diagnostic Events created for one configuration
     */
    public record Kubernetes(String masterUrl, List<String> namespaces, String namespace, String podName,
            Duration syncTimeout, int maxEventsPerConfig) {
        public Kubernetes {
            masterUrl = masterUrl == null ? "" : masterUrl;
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
            namespace = namespace == null ? "" : namespace;
            podName = podName == null ? "" : podName;
            syncTimeout = syncTimeout == null ? Duration.ofSeconds(60) : syncTimeout;
            maxEventsPerConfig = maxEventsPerConfig <= 0 ? 50 : maxEventsPerConfig;
        }
    }

    public GatewayProperties {
        configDir = configDir == null ? Path.of("config") : configDir;
        portMap = portMap == null ? "" : portMap;
        pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
        bindAddress = bindAddress == null ? "0.0.0.0" : bindAddress;
        upstreamConnectTimeout = upstreamConnectTimeout == null ? Duration.ofSeconds(10) : upstreamConnectTimeout;
        upstreamIdleTimeout = upstreamIdleTimeout == null ? Duration.ofMinutes(5) : upstreamIdleTimeout;
        configSource = configSource == null ? ConfigSource.FILES : configSource;
        labels = labels == null || labels.isEmpty() ? Map.of("istio", "ingressgateway") : Map.copyOf(labels);
        kubernetes = kubernetes == null ? new Kubernetes(null, null, null, null, null, 0) : kubernetes;
    }
}
