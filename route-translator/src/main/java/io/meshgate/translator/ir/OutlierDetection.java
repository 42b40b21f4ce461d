package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Istio's {@code OutlierDetection} with its defaults resolved (Envoy's: 5 consecutive 5xx, 10 s interval, 30 s base
 * ejection, at most 10% ejected, no panic threshold).
 *
 * @param consecutive5xxErrors errors in a row that eject an endpoint; 0 disables this check
 * @param consecutiveGatewayErrors 502/503/504 and connect failures in a row that eject an endpoint; 0 disables it
 * @param origin {@code outlierDetection}, or {@code circuitBreaker} when mapped from the non-Istio field
 */
public record OutlierDetection(int consecutive5xxErrors, int consecutiveGatewayErrors, Duration interval,
        Duration baseEjectionTime, int maxEjectionPercent, int minHealthPercent, String origin) {
    public OutlierDetection {
        requireNonNull(interval, "interval");
        requireNonNull(baseEjectionTime, "baseEjectionTime");
        requireNonNull(origin, "origin");
    }
}
