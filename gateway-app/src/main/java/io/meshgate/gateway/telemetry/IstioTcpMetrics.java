package io.meshgate.gateway.telemetry;

import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.WeightedCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Istio's TCP metrics for relayed connections: {@code istio_tcp_connections_opened_total},
 * {@code istio_tcp_connections_closed_total}, {@code istio_tcp_received_bytes_total} (from the client) and
 * {@code istio_tcp_sent_bytes_total} (to the client), labelled as {@link IstioRequestMetrics} labels requests, with
 * {@code request_protocol="tcp"} and no response code. Label values come from the configuration and a few response
 * flags, so cardinality is bounded.
 */
public final class IstioTcpMetrics {

    /**
     * The labels of one connection.
     *
     * @param responseFlags Envoy's flags: {@code -}, {@code NR} (no route), {@code UH} (no endpoint), {@code UF}
     *     (upstream connect failure)
     */
    public record Labels(String destinationService, String destinationServiceName,
            String destinationServiceNamespace, String destinationVersion, String responseFlags) {

        /** A connection no destination was picked for. */
        public static Labels unrouted(String responseFlags) {
            return new Labels("unknown", "unknown", "unknown", "unknown", responseFlags);
        }

        /** A connection to a destination, and to one of its endpoints when one was picked. */
        public static Labels of(WeightedCluster destination, @Nullable Endpoint endpoint, String responseFlags) {
            ServiceName service = ServiceName.of(destination.destination().fqdn());
            String version = endpoint != null && endpoint.labels().containsKey("version")
                    ? endpoint.labels().get("version") : destination.destination().subset().orElse("unknown");
            return new Labels(service.fqdn(), service.name(), service.namespace(), version, responseFlags);
        }

        Tags tags() {
            return Tags.of("reporter", "source",
                    "destination_service", destinationService,
                    "destination_service_name", destinationServiceName,
                    "destination_service_namespace", destinationServiceNamespace,
                    "destination_version", destinationVersion,
                    "response_flags", responseFlags,
                    "request_protocol", "tcp");
        }
    }

    /** The counters of one label set. */
    public record Meters(Counter opened, Counter closed, Counter received, Counter sent) {
    }

    private final MeterRegistry registry;
    private final Map<Labels, Meters> meters = new ConcurrentHashMap<>();

    public IstioTcpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The counters of a connection, to count into as it goes. */
    public Meters of(Labels labels) {
        return meters.computeIfAbsent(labels, this::register);
    }

    private Meters register(Labels labels) {
        Tags tags = labels.tags();
        return new Meters(
                Counter.builder("istio.tcp.connections.opened").description("TCP connections opened").tags(tags)
                        .register(registry),
                Counter.builder("istio.tcp.connections.closed").description("TCP connections closed").tags(tags)
                        .register(registry),
                Counter.builder("istio.tcp.received.bytes").description("Bytes received from clients").tags(tags)
                        .register(registry),
                Counter.builder("istio.tcp.sent.bytes").description("Bytes sent to clients").tags(tags)
                        .register(registry));
    }
}
