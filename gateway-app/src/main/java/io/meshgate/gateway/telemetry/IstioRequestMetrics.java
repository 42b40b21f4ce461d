package io.meshgate.gateway.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code istio_requests_total} and {@code istio_request_duration_milliseconds}, named and labelled as Istio's
 * standard metrics so existing dashboards work. The duration is a histogram in milliseconds with Istio's buckets, not
 * a {@code _seconds} timer. {@code grpc_response_status} is the gRPC status of gRPC calls and empty for others, as
 * Istio reports it. Label values come from the configuration and the status code, so cardinality is bounded.
 */
public final class IstioRequestMetrics {

    /** Istio's default buckets for request duration, in milliseconds. */
    static final double[] BUCKETS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
        300000, 600000, 1800000, 3600000};

    /** The labels of one request. */
    public record Labels(String destinationService, String destinationServiceName,
            String destinationServiceNamespace, String destinationVersion, int responseCode, String responseFlags,
            String requestProtocol, String grpcResponseStatus) {

        Tags tags() {
            return Tags.of("reporter", "source",
                    "destination_service", destinationService,
                    "destination_service_name", destinationServiceName,
                    "destination_service_namespace", destinationServiceNamespace,
                    "destination_version", destinationVersion,
                    "response_code", String.valueOf(responseCode),
                    "response_flags", responseFlags,
                    "request_protocol", requestProtocol,
                    "grpc_response_status", grpcResponseStatus);
        }
    }

    private record Meters(Counter requests, DistributionSummary duration) {
    }

    private final MeterRegistry registry;
    private final Map<Labels, Meters> meters = new ConcurrentHashMap<>();

    public IstioRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(Labels labels, double durationMillis) {
        Meters m = meters.computeIfAbsent(labels, this::register);
        m.requests().increment();
        m.duration().record(durationMillis);
    }

    private Meters register(Labels labels) {
        Tags tags = labels.tags();
        return new Meters(
                Counter.builder("istio.requests").description("Requests handled by the gateway").tags(tags)
                        .register(registry),
                DistributionSummary.builder("istio.request.duration.milliseconds")
                        .description("Request duration in milliseconds").tags(tags)
                        .serviceLevelObjectives(BUCKETS).register(registry));
    }
}
