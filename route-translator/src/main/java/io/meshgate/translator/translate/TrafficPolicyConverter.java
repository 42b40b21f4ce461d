package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettingsHTTPSettingsH2UpgradePolicy;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHash;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLB;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHttpCookie;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHttpHeaderName;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHttpQueryParameterName;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBMaglev;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimple;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimpleLB;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.ClientTls;
import io.meshgate.translator.ir.ConnectionPool;
import io.meshgate.translator.ir.LoadBalancer;
import io.meshgate.translator.ir.OutlierDetection;
import io.meshgate.translator.ir.RetryBudget;
import io.meshgate.translator.ir.SourceRef;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Converts the parts of a DestinationRule traffic policy to the IR, resolving Istio's defaults. */
final class TrafficPolicyConverter {

    private final Reporter reporter;
    private final SourceRef source;

    TrafficPolicyConverter(Reporter reporter, SourceRef source) {
        this.reporter = reporter;
        this.source = source;
    }

    Optional<LoadBalancer> loadBalancer(@Nullable LoadBalancerSettings settings, String path) {
        if (settings == null) {
            return Optional.empty();
        }
        Optional<String> simple = Optional.empty();
        Optional<LoadBalancer.ConsistentHash> hash = Optional.empty();
        if (settings.getLbPolicy() instanceof LoadBalancerSettingsSimple s && s.getSimple() != null) {
            LoadBalancerSettingsSimpleLB lb = s.getSimple();
            if (lb == LoadBalancerSettingsSimpleLB.LEAST_CONN) {
                reporter.report(Code.DEPRECATED, source, path + ".simple",
                        "LEAST_CONN is deprecated; applied as LEAST_REQUEST (expected: LEAST_REQUEST)");
                lb = LoadBalancerSettingsSimpleLB.LEAST_REQUEST;
            } else if (lb == LoadBalancerSettingsSimpleLB.PASSTHROUGH) {
                reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, source, path + ".simple", "PASSTHROUGH "
                        + "sends each request to the address its client originally connected to, which requests "
                        + "arriving at an edge gateway do not have; applied as LEAST_REQUEST");
                lb = LoadBalancerSettingsSimpleLB.LEAST_REQUEST;
            }
            simple = lb == LoadBalancerSettingsSimpleLB.UNSPECIFIED ? Optional.empty() : Optional.of(lb.name());
        } else if (settings.getLbPolicy() instanceof LoadBalancerSettingsConsistentHash c
                && c.getConsistentHash() != null) {
            hash = Optional.of(consistentHash(c.getConsistentHash(), path + ".consistentHash"));
        }
        if (settings.getLocalityLbSetting() != null) {
            notApplied(path + ".localityLbSetting", "endpoints are balanced without regard to their locality");
        }
        Optional<Duration> warmup = Optional.empty();
        if (settings.getWarmup() != null && settings.getWarmup().getDuration() != null) {
            warmup = reporter.duration(settings.getWarmup().getDuration(), source, path + ".warmup.duration");
            Double minimum = settings.getWarmup().getMinimumPercent();
            Double aggression = settings.getWarmup().getAggression();
            if (minimum != null && minimum != 10.0 || aggression != null && aggression != 1.0) {
                reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, source, path + ".warmup", "only the "
                        + "defaults minimumPercent 10 and aggression 1.0 are applied: a warming endpoint gets the "
                        + "fraction of the warmup duration it has been up, at least a tenth");
            }
        } else if (settings.getWarmupDurationSecs() != null) {
            reporter.report(Code.DEPRECATED, source, path + ".warmupDurationSecs",
                    "deprecated (expected: warmup.duration)");
            warmup = reporter.duration(settings.getWarmupDurationSecs(), source, path + ".warmupDurationSecs");
        }
        return Optional.of(new LoadBalancer(simple, hash, warmup));
    }

    private LoadBalancer.ConsistentHash consistentHash(LoadBalancerSettingsConsistentHashLB lb, String path) {
        String key = "useSourceIp";
        String name = "";
        Optional<String> cookiePath = Optional.empty();
        Optional<Duration> cookieTtl = Optional.empty();
        if (lb.getHashKey() instanceof LoadBalancerSettingsConsistentHashLBHttpHeaderName h) {
            key = "httpHeaderName";
            name = h.getHttpHeaderName();
        } else if (lb.getHashKey() instanceof LoadBalancerSettingsConsistentHashLBHttpQueryParameterName q) {
            key = "httpQueryParameterName";
            name = q.getHttpQueryParameterName();
        } else if (lb.getHashKey() instanceof LoadBalancerSettingsConsistentHashLBHttpCookie c
                && c.getHttpCookie() != null) {
            key = "httpCookie";
            name = c.getHttpCookie().getName();
            cookiePath = Optional.ofNullable(c.getHttpCookie().getPath());
            if (c.getHttpCookie().getAttributes() != null && !c.getHttpCookie().getAttributes().isEmpty()) {
                notApplied(path + ".httpCookie.attributes", "an issued cookie carries Path, Max-Age and HttpOnly only");
            }
            if (c.getHttpCookie().getTtl() != null) {
                cookieTtl = reporter.duration(c.getHttpCookie().getTtl(), source, path + ".httpCookie.ttl");
            }
        }
        String algorithm = "ringHash";
        long size = lb.getMinimumRingSize() == null || lb.getMinimumRingSize() == 0 ? 1024 : lb.getMinimumRingSize();
        if (lb.getHashAlgorithm() instanceof LoadBalancerSettingsConsistentHashLBMaglev m) {
            algorithm = "maglev";
            size = m.getMaglev() == null || m.getMaglev().getTableSize() == null ? 65537 : m.getMaglev().getTableSize();
        }
        return new LoadBalancer.ConsistentHash(key, name == null ? "" : name, cookiePath, cookieTtl, algorithm, size);
    }

    /** A field Istio applies and this gateway does not: a warning, so that nobody relies on it unknowingly. */
    private void notApplied(String field, String consequence) {
        reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, source, field, "not supported; ignored: "
                + consequence);
    }

    Optional<ConnectionPool> connectionPool(@Nullable ConnectionPoolSettings settings, String path) {
        if (settings == null) {
            return Optional.empty();
        }
        var tcp = settings.getTcp();
        var http = settings.getHttp();
        if (tcp != null && tcp.getTcpKeepalive() != null) {
            notApplied(path + ".tcp.tcpKeepalive", "TCP keepalive probes to backends are not configured");
        }
        if (http != null && http.getH2UpgradePolicy() != null
                && http.getH2UpgradePolicy() != ConnectionPoolSettingsHTTPSettingsH2UpgradePolicy.DEFAULT) {
            notApplied(path + ".http.h2UpgradePolicy", "the service port's protocol alone decides HTTP/1.1 or HTTP/2");
        }
        if (http != null && Boolean.TRUE.equals(http.getUseClientProtocol())) {
            notApplied(path + ".http.useClientProtocol", "the service port's protocol alone decides HTTP/1.1 or "
                    + "HTTP/2, whatever the client speaks");
        }
        if (http != null && http.getMaxConcurrentStreams() != null) {
            notApplied(path + ".http.maxConcurrentStreams", "HTTP/2 connections to backends take the streams the "
                    + "backend allows");
        }
        return Optional.of(new ConnectionPool(
                Optional.ofNullable(tcp == null ? null : tcp.getMaxConnections()),
                duration(tcp == null ? null : tcp.getConnectTimeout(), path + ".tcp.connectTimeout"),
                duration(tcp == null ? null : tcp.getIdleTimeout(), path + ".tcp.idleTimeout"),
                duration(tcp == null ? null : tcp.getMaxConnectionDuration(), path + ".tcp.maxConnectionDuration"),
                Optional.ofNullable(http == null ? null : http.getHttp1MaxPendingRequests()),
                Optional.ofNullable(http == null ? null : http.getHttp2MaxRequests()),
                Optional.ofNullable(http == null ? null : http.getMaxRequestsPerConnection()),
                Optional.ofNullable(http == null ? null : http.getMaxRetries()),
                duration(http == null ? null : http.getIdleTimeout(), path + ".http.idleTimeout")));
    }

    /**
     * Resolves {@code outlierDetection} with Envoy's defaults, as Istio's {@code applyOutlierDetection} does. A
     * non-zero deprecated {@code consecutiveErrors} counts gateway errors only and turns the 5xx check off; the
     * {@code consecutive5xxErrors} and {@code consecutiveGatewayErrors} written beside it still win. A
     * {@code maxEjectionPercent} of 0 is "unset" in Istio and keeps Envoy's 10%.
     */
    Optional<OutlierDetection> outlierDetection(
            io.fabric8.istio.api.api.networking.v1alpha3.@Nullable OutlierDetection od, String path, String origin) {
        if (od == null) {
            return Optional.empty();
        }
        int consecutive5xx = 5;
        int consecutiveGateway = 0;
        if (od.getConsecutiveErrors() != null) {
            reporter.report(Code.DEPRECATED, source, path + ".consecutiveErrors",
                    "deprecated: Istio counts it as gateway errors (502, 503, 504) only "
                            + "(expected: consecutiveGatewayErrors or consecutive5xxErrors)");
            if (od.getConsecutiveErrors() > 0) {
                consecutiveGateway = od.getConsecutiveErrors();
                consecutive5xx = 0;
            }
        }
        consecutive5xx = count(od.getConsecutive5xxErrors(), consecutive5xx, path + ".consecutive5xxErrors");
        consecutiveGateway = count(od.getConsecutiveGatewayErrors(), consecutiveGateway,
                path + ".consecutiveGatewayErrors");
        Duration interval = duration(od.getInterval(), path + ".interval").orElse(Duration.ofSeconds(10));
        Duration base = duration(od.getBaseEjectionTime(), path + ".baseEjectionTime").orElse(Duration.ofSeconds(30));
        int maxEjection = percent(od.getMaxEjectionPercent(), 10, path + ".maxEjectionPercent");
        maxEjection = maxEjection == 0 ? 10 : maxEjection;
        int minHealth = percent(od.getMinHealthPercent(), 0, path + ".minHealthPercent");
        return Optional.of(new OutlierDetection(consecutive5xx, consecutiveGateway, interval, base, maxEjection,
                minHealth, origin));
    }

    Optional<ClientTls> tls(@Nullable ClientTLSSettings tls, String path) {
        if (tls == null) {
            return Optional.empty();
        }
        if (tls.getMode() != null && tls.getMode().name().equals("ISTIO_MUTUAL")) {
            reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, source, path + ".mode", "ISTIO_MUTUAL (mesh "
                    + "certificates) is not supported by this gateway yet; requests to this destination fail with 503 "
                    + "(UF), they are never sent without TLS");
        }
        return Optional.of(new ClientTls(tls.getMode() == null ? "DISABLE" : tls.getMode().name(),
                Optional.ofNullable(tls.getClientCertificate()), Optional.ofNullable(tls.getPrivateKey()),
                Optional.ofNullable(tls.getCaCertificates()), Optional.ofNullable(tls.getCredentialName()),
                tls.getSubjectAltNames(), Optional.ofNullable(tls.getSni()),
                Boolean.TRUE.equals(tls.getInsecureSkipVerify()), Optional.ofNullable(tls.getCaCrl())));
    }

    private int count(@Nullable Integer value, int fallback, String path) {
        if (value == null) {
            return fallback;
        }
        if (value < 0) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path, value + " (expected: 0 or more)");
            return fallback;
        }
        return value;
    }

    private int percent(@Nullable Integer value, int fallback, String path) {
        if (value == null) {
            return fallback;
        }
        if (value < 0 || value > 100) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path, value + " (expected: 0 to 100)");
            return fallback;
        }
        return value;
    }

    private Optional<Duration> duration(@Nullable String text, String path) {
        return text == null ? Optional.empty() : reporter.duration(text, source, path);
    }

    /** Istio's {@code retryBudget}, with its defaults: 20 percent, at least 3 retries at once. */
    Optional<RetryBudget> retryBudget(io.fabric8.istio.api.api.networking.v1alpha3.@Nullable TrafficPolicyRetryBudget
            budget, String path) {
        if (budget == null) {
            return Optional.empty();
        }
        double percent = budget.getPercent() == null ? 20.0 : budget.getPercent();
        if (percent < 0 || percent > 100) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".percent", percent
                    + " (expected: a percentage from 0 to 100); the default 20 applies");
            percent = 20.0;
        }
        long min = budget.getMinRetryConcurrency() == null ? 3 : budget.getMinRetryConcurrency();
        return Optional.of(new RetryBudget(percent, (int) Math.min(min, Integer.MAX_VALUE)));
    }
}
