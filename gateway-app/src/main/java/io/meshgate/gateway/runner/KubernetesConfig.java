package io.meshgate.gateway.runner;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshgate.translator.kubernetes.DiagnosticEvents;
import io.meshgate.translator.kubernetes.KubernetesSource;
import io.meshgate.translator.kubernetes.KubernetesSourceOptions;
import io.meshgate.translator.kubernetes.SecretMirror;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration from the API server: the gateway namespace's TLS Secrets mirrored into credential directories
 * first, then the Istio and Kubernetes resources through the {@link KubernetesSource}, each change applied by the
 * {@link ConfigRunner}; the diagnostics of every applied configuration go back as Events, off the applying thread.
 * Startup waits for the first complete list of everything, so the listeners open with the cluster's configuration.
 */
public final class KubernetesConfig implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesConfig.class);

    private final KubernetesClient client;
    private final String namespace;
    private final SecretMirror secrets;
    private final KubernetesSource source;
    private final DiagnosticEvents events;
    private final ExecutorService reporter = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "kubernetes-events");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Connects to the API server.
     *
     * @param masterUrl the API server, or empty for the usual discovery (in-cluster, {@code KUBECONFIG})
     * @param namespace the gateway's namespace for Secrets, or empty for the client's own namespace
     * @param credentials where the Secrets' credential directories go
     */
    public KubernetesConfig(String masterUrl, List<String> namespaces, String namespace, Path credentials,
            int maxEventsPerConfig) {
        Config config = masterUrl.isEmpty() ? Config.autoConfigure(null)
                : new ConfigBuilder(Config.empty()).withMasterUrl(masterUrl).withTrustCerts(true).build();
        this.client = new KubernetesClientBuilder().withConfig(config).build();
        String own = !namespace.isEmpty() ? namespace
                : client.getNamespace() != null ? client.getNamespace() : "istio-system";
        this.namespace = own;
        this.secrets = new SecretMirror(client, own, credentials);
        this.source = new KubernetesSource(client, new KubernetesSourceOptions(namespaces,
                KubernetesSourceOptions.DEFAULTS.quietPeriod(), KubernetesSourceOptions.DEFAULTS.maxDelay(),
                KubernetesSourceOptions.DEFAULTS.resync()));
        this.events = new DiagnosticEvents(client, "meshgate", maxEventsPerConfig);
    }

    /** The gateway's own namespace: its Secrets serve credentials, and VirtualServices must be exported to it. */
    public String namespace() {
        return namespace;
    }

    /** The labels of a pod of the gateway's namespace, to select Gateways with; empty when it cannot be read. */
    public Map<String, String> podLabels(String podName) {
        Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
        if (pod == null || pod.getMetadata().getLabels() == null) {
            log.warn("pod {} not found: Gateways are selected by the configured labels", podName);
            return Map.of();
        }
        return pod.getMetadata().getLabels();
    }

    /** Mirrors the Secrets, then applies the resources and keeps applying their changes to {@code runner}. */
    public void start(ConfigRunner runner, Duration syncTimeout) {
        secrets.start(syncTimeout);
        runner.subscribe(config -> reporter.execute(() -> events.report(config.diagnostics())));
        source.start(resources -> runner.apply(resources, "the Kubernetes API server"), syncTimeout);
    }

    /** Whether the source is watching every kind (false while the API server cannot be reached). */
    public boolean watching() {
        return source.watching();
    }

    @Override
    public void close() {
        source.close();
        secrets.close();
        reporter.shutdownNow();
        client.close();
    }
}
