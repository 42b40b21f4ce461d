package io.meshgate.translator.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.SourceRef;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reports validation diagnostics back to the cluster as Kubernetes Events on the resource they are about, so that
 * {@code kubectl describe virtualservice ...} and {@code kubectl get events} show them, with the codes the CLI prints
 * (reason {@code GW0101} and so on; type {@code Warning} for errors and warnings, {@code Normal} for the rest). Only
 * diagnostics that are new since the last report are sent, and at most {@code maxPerReport} per report, so that a
 * flood of changes cannot flood the API server; the rest is counted in one more Event on nothing but the log.
 */
public final class DiagnosticEvents {

    /** The API versions of the kinds diagnostics are about. */
    private static final Map<String, String> API_VERSIONS = Map.of(
            "Gateway", "networking.istio.io/v1", "VirtualService", "networking.istio.io/v1",
            "DestinationRule", "networking.istio.io/v1", "ServiceEntry", "networking.istio.io/v1",
            "WorkloadEntry", "networking.istio.io/v1", "Service", "v1", "EndpointSlice", "discovery.k8s.io/v1",
            "Pod", "v1", "EnvoyFilter", "networking.istio.io/v1alpha3",
            "RateLimitPolicy", "policy.meshgate.io/v1alpha1");

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DiagnosticEvents.class);

    private final KubernetesClient client;
    private final String component;
    private final int maxPerReport;
    private Set<Diagnostic> reported = Set.of();

    /**
     * Creates the reporter.
     *
     * @param component the reporting component named in each Event ({@code meshgate})
     * @param maxPerReport the most Events one report creates
     */
    public DiagnosticEvents(KubernetesClient client, String component, int maxPerReport) {
        this.client = client;
        this.component = component;
        this.maxPerReport = maxPerReport;
    }

    /**
     * Creates an Event for each diagnostic not reported last time.
     *
     * @return the number of Events created
     */
    public synchronized int report(Collection<Diagnostic> diagnostics) {
        Set<Diagnostic> now = new HashSet<>(diagnostics);
        int created = 0;
        int skipped = 0;
        for (Diagnostic diagnostic : diagnostics) {
            if (reported.contains(diagnostic) || !API_VERSIONS.containsKey(diagnostic.resource().kind())
                    || diagnostic.resource().namespace().isEmpty()) {
                continue;
            }
            if (created >= maxPerReport) {
                skipped++;
                continue;
            }
            try {
                client.v1().events().inNamespace(diagnostic.resource().namespace()).resource(event(diagnostic))
                        .create();
                created++;
            } catch (KubernetesClientException e) {
                log.warn("Event for {} not created: {}", diagnostic.resource().display(), e.getMessage());
            }
        }
        if (skipped > 0) {
            log.warn("{} more diagnostics not reported as Events (at most {} per configuration)", skipped,
                    maxPerReport);
        }
        reported = now;
        return created;
    }

    private Event event(Diagnostic diagnostic) {
        SourceRef resource = diagnostic.resource();
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        String message = (diagnostic.fieldPath().isEmpty() ? "" : diagnostic.fieldPath() + ": ")
                + diagnostic.message();
        return new EventBuilder()
                .withNewMetadata().withGenerateName(resource.name() + ".").withNamespace(resource.namespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withKind(resource.kind())
                        .withApiVersion(API_VERSIONS.get(resource.kind())).withNamespace(resource.namespace())
                        .withName(resource.name()).build())
                .withReason(diagnostic.code().id())
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withType(diagnostic.level() == Level.INFO ? "Normal" : "Warning")
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
    }
}
