package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/** Istio's {@code HTTPFaultInjection}. Percentages are 0 to 100; an unset percentage injects nothing. */
public record FaultPolicy(Optional<Delay> delay, Optional<Abort> abort) {
    public FaultPolicy {
        requireNonNull(delay, "delay");
        requireNonNull(abort, "abort");
    }

    /** Delay the request by {@code fixedDelay} for {@code percentage} percent of requests. */
    public record Delay(Duration fixedDelay, double percentage) {
        public Delay {
            requireNonNull(fixedDelay, "fixedDelay");
        }
    }

    /** Answer {@code httpStatus} (or the gRPC status) for {@code percentage} percent of requests. */
    public record Abort(Optional<Integer> httpStatus, Optional<String> grpcStatus, double percentage) {
        public Abort {
            requireNonNull(httpStatus, "httpStatus");
            requireNonNull(grpcStatus, "grpcStatus");
        }
    }
}
