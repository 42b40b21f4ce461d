package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** What a matched route does: forward to weighted clusters, redirect, or answer directly. */
public sealed interface RouteAction {

    /**
     * Forward to one of the clusters, picked by weight.
     *
     * @param clusters the destinations; weights are relative and sum to more than zero
     * @param rewrite path and authority rewrites before forwarding
     */
    record Forward(List<WeightedCluster> clusters, Optional<Rewrite> rewrite) implements RouteAction {
        public Forward {
            clusters = List.copyOf(clusters);
            requireNonNull(rewrite, "rewrite");
        }
    }

    /**
     * Istio's {@code HTTPRedirect}.
     *
     * @param port an explicit port for the Location
     * @param derivePort {@code FROM_PROTOCOL_DEFAULT} or {@code FROM_REQUEST_PORT}
     */
    record Redirect(Optional<String> uri, Optional<String> authority, Optional<String> scheme, Optional<Integer> port,
            Optional<String> derivePort, int code) implements RouteAction {
        public Redirect {
            requireNonNull(uri, "uri");
            requireNonNull(authority, "authority");
            requireNonNull(scheme, "scheme");
            requireNonNull(port, "port");
            requireNonNull(derivePort, "derivePort");
        }
    }

    /** Istio's {@code HTTPDirectResponse}; also what a rule that cannot work is degraded to (status 500). */
    record DirectResponse(int status, Optional<String> body) implements RouteAction {
        public DirectResponse {
            requireNonNull(body, "body");
        }
    }
}
