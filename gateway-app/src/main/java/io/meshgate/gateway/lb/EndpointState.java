package io.meshgate.gateway.lb;

import io.meshgate.translator.ir.OutlierDetection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the gateway knows of one endpoint of one cluster: its requests in flight (for LEAST_REQUEST) and, under
 * outlier detection, its consecutive errors and ejection, as Envoy keeps them. An endpoint is ejected when its
 * consecutive 5xx (or gateway errors: 502, 503, 504 and failures to connect or get an answer) reach the
 * DestinationRule's threshold, for {@code baseEjectionTime} times its ejection multiplier (at most 300 s, Envoy's
 * {@code max_ejection_time}); any other answer resets the counts. The multiplier grows by one with each ejection and,
 * as Envoy's, shrinks by one for each {@code interval} the endpoint then stays in service.
 */
public final class EndpointState {

    /** Envoy's default cap on one ejection. */
    static final long MAX_EJECTION_NANOS = 300_000_000_000L;

    private final String hostPort;
    /** When the gateway first saw the endpoint in its cluster; {@link Long#MIN_VALUE} for the cluster's first ones. */
    private volatile long since = Long.MIN_VALUE;
    private final AtomicInteger active = new AtomicInteger();
    private int consecutive5xx;
    private int consecutiveGateway;
    private int ejections;
    private volatile long ejectedUntil;
    private volatile boolean ejected;

    EndpointState(String hostPort) {
        this.hostPort = hostPort;
    }

    /** Marks the endpoint as having joined now, so that a warmup (slow start) applies to it. */
    void joined(long now) {
        since = now;
    }

    /**
     * The share of its traffic an endpoint in slow start gets, as Envoy's with Istio's defaults (aggression 1,
     * minimum 10 %): the fraction of {@code warmup} since it joined, at least 0.1; 1 once warm, and for the endpoints a
     * cluster started with.
     */
    double warmth(long warmupNanos, long now) {
        long joined = since;
        if (joined == Long.MIN_VALUE || warmupNanos <= 0) {
            return 1.0;
        }
        long elapsed = now - joined;
        return elapsed >= warmupNanos ? 1.0 : Math.max(0.1, (double) elapsed / warmupNanos);
    }

    /** The endpoint as {@code address:port}. */
    public String hostPort() {
        return hostPort;
    }

    /** A request to this endpoint started. */
    public void started() {
        active.incrementAndGet();
    }

    /** A request to this endpoint ended (its answer's headers arrived, or it failed). */
    public void ended() {
        active.decrementAndGet();
    }

    int active() {
        return active.get();
    }

    /** Whether the endpoint is ejected now; an ejection whose time is up ends here. */
    boolean isEjected(long now) {
        if (!ejected) {
            return false;
        }
        if (now - ejectedUntil >= 0) {
            ejected = false;
            return false;
        }
        return true;
    }

    /** The ejection multiplier: what the last ejection's length was the base ejection time times. */
    synchronized int ejections() {
        return ejections;
    }

    /**
     * Counts an answer (an HTTP status) or a failure ({@code status} 0: no answer) against the thresholds.
     *
     * @param mayEject whether the cluster allows one more ejection now (maxEjectionPercent)
     * @return whether this report ejected the endpoint
     */
    synchronized boolean report(int status, OutlierDetection detection, boolean mayEject, long now) {
        boolean gatewayError = status == 0 || status == 502 || status == 503 || status == 504;
        boolean serverError = status == 0 || status >= 500;
        if (!serverError) {
            consecutive5xx = 0;
            consecutiveGateway = 0;
            return false;
        }
        consecutive5xx++;
        consecutiveGateway = gatewayError ? consecutiveGateway + 1 : 0;
        boolean over = detection.consecutive5xxErrors() > 0 && consecutive5xx >= detection.consecutive5xxErrors()
                || detection.consecutiveGatewayErrors() > 0
                        && consecutiveGateway >= detection.consecutiveGatewayErrors();
        if (!over || ejected && now - ejectedUntil < 0 || !mayEject) {
            return false;
        }
        if (ejections > 0) {
            long inService = Math.max(0, now - ejectedUntil);
            ejections = (int) Math.max(0, ejections - inService / Math.max(1, detection.interval().toNanos()));
        }
        ejections++;
        long length = Math.min(detection.baseEjectionTime().toNanos() * ejections, MAX_EJECTION_NANOS);
        ejectedUntil = now + length;
        ejected = true;
        consecutive5xx = 0;
        consecutiveGateway = 0;
        return true;
    }
}
