package io.meshgate.gateway.telemetry;

import io.meshgate.gateway.route.GrpcStatus;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.WeightedCluster;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Records every request the listeners answer, whatever answered it, when it completes or is cancelled (DC).
 * Requests to the management server are not gateway traffic and are not recorded.
 */
public final class IstioMetricsWebFilter implements WebFilter {

    private final IstioRequestMetrics metrics;

    public IstioMetricsWebFilter(IstioRequestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            StreamInfo info = StreamInfo.routed(exchange);
            if (info == null) {
                return;
            }
            // a client that closes after reading its whole answer cancels too; only an unanswered one is DC
            if (signal == reactor.core.publisher.SignalType.CANCEL && !exchange.getResponse().isCommitted()) {
                info.flag("DC");
            }
            metrics.record(labels(exchange, info), (System.nanoTime() - start) / 1_000_000.0);
        });
    }

    private static IstioRequestMetrics.Labels labels(ServerWebExchange exchange, StreamInfo info) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        WeightedCluster destination = info.destination();
        ServiceName service = destination == null ? new ServiceName("unknown", "unknown", "unknown")
                : ServiceName.of(destination.destination().fqdn());
        String version = versionOf(info, destination);
        int code = status == null ? 200 : status.value();
        OptionalInt grpc = GrpcStatus.of(exchange, info, code);
        return new IstioRequestMetrics.Labels(service.fqdn(), service.name(), service.namespace(), version, code,
                info.flags(), grpc.isPresent() ? "grpc" : "http",
                grpc.isPresent() ? Integer.toString(grpc.getAsInt()) : "");
    }

    /** Istio's destination_version is the workload's {@code version} label; the subset name stands in for it. */
    private static String versionOf(StreamInfo info, @Nullable WeightedCluster destination) {
        Endpoint endpoint = info.endpoint();
        if (endpoint != null && endpoint.labels().containsKey("version")) {
            return endpoint.labels().get("version");
        }
        return destination == null ? "unknown" : destination.destination().subset().orElse("unknown");
    }
}
