package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.CorsPolicy;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjection;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionAbortGrpcStatus;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionAbortHttpStatus;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionDelayFixedDelay;
import io.fabric8.istio.api.api.networking.v1alpha3.Headers;
import io.fabric8.istio.api.api.networking.v1alpha3.HeadersHeaderOperations;
import io.fabric8.istio.api.api.networking.v1alpha3.Percent;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchExact;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchPrefix;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchRegex;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.FaultPolicy;
import io.meshgate.translator.ir.HeaderOperations;
import io.meshgate.translator.ir.HeaderPolicy;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.StringMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Converts the parts of an http rule that apply around its action: headers, fault and CORS. */
final class RoutePolicyConverter {

    private final Reporter reporter;
    private final SourceRef source;
    private final MatchConverter regexChecker;

    RoutePolicyConverter(Reporter reporter, SourceRef source, MatchConverter regexChecker) {
        this.reporter = reporter;
        this.source = source;
        this.regexChecker = regexChecker;
    }

    static HeaderPolicy headers(@Nullable Headers headers) {
        if (headers == null) {
            return HeaderPolicy.NONE;
        }
        return new HeaderPolicy(operations(headers.getRequest()), operations(headers.getResponse()));
    }

    private static HeaderOperations operations(@Nullable HeadersHeaderOperations ops) {
        if (ops == null) {
            return HeaderOperations.NONE;
        }
        return new HeaderOperations(sorted(ops.getSet()), sorted(ops.getAdd()), ops.getRemove());
    }

    private static List<HeaderOperations.Header> sorted(Map<String, String> headers) {
        List<HeaderOperations.Header> out = new ArrayList<>();
        new TreeMap<>(headers).forEach((name, value) -> out.add(new HeaderOperations.Header(name,
                value == null ? "" : value)));
        return out;
    }

    Optional<FaultPolicy> fault(@Nullable HTTPFaultInjection fault, String path) {
        if (fault == null) {
            return Optional.empty();
        }
        Optional<FaultPolicy.Delay> delay = Optional.empty();
        var d = fault.getDelay();
        if (d != null) {
            double percentage = percentage(d.getPercentage(), d.getPercent(), path + ".delay");
            if (d.getHttpDelayType() instanceof HTTPFaultInjectionDelayFixedDelay fixed
                    && fixed.getFixedDelay() != null) {
                Optional<Duration> parsed = reporter.duration(fixed.getFixedDelay(), source,
                        path + ".delay.fixedDelay");
                delay = parsed.map(value -> new FaultPolicy.Delay(value, percentage));
            } else {
                reporter.report(Code.UNSUPPORTED_FIELD, source, path + ".delay",
                        "only fixedDelay is supported; this delay is not injected");
            }
        }
        Optional<FaultPolicy.Abort> abort = Optional.empty();
        var a = fault.getAbort();
        if (a != null) {
            double percentage = percentage(a.getPercentage(), null, path + ".abort");
            if (a.getErrorType() instanceof HTTPFaultInjectionAbortHttpStatus http && http.getHttpStatus() != null) {
                int status = http.getHttpStatus();
                if (status < 200 || status > 599) {
                    reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".abort.httpStatus",
                            status + " (expected: 200 to 599)");
                } else {
                    abort = Optional.of(new FaultPolicy.Abort(Optional.of(status), Optional.empty(), percentage));
                }
            } else if (a.getErrorType() instanceof HTTPFaultInjectionAbortGrpcStatus grpc
                    && grpc.getGrpcStatus() != null) {
                abort = Optional.of(new FaultPolicy.Abort(Optional.empty(), Optional.of(grpc.getGrpcStatus()),
                        percentage));
            } else {
                reporter.report(Code.UNSUPPORTED_FIELD, source, path + ".abort",
                        "only httpStatus and grpcStatus aborts are supported; this abort is not injected");
            }
        }
        if (delay.isEmpty() && abort.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FaultPolicy(delay, abort));
    }

    /** Istio: a fault without a percentage injects nothing. */
    private double percentage(@Nullable Percent percentage, @Nullable Integer percent, String path) {
        if (percentage != null && percentage.getValue() != null) {
            return checkedPercent(percentage.getValue(), path + ".percentage.value");
        }
        if (percent != null) {
            reporter.report(Code.DEPRECATED, source, path + ".percent", "deprecated (expected: percentage.value)");
            return checkedPercent(percent, path + ".percent");
        }
        reporter.report(Code.INEFFECTIVE_FIELD, source, path, "no percentage set: Istio injects this fault into no "
                + "request (expected: percentage.value, 0 to 100)");
        return 0;
    }

    double checkedPercent(double value, String path) {
        if (value < 0 || value > 100 || Double.isNaN(value)) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path, value + " (expected: 0 to 100)");
            return 0;
        }
        return value;
    }

    Optional<io.meshgate.translator.ir.CorsPolicy> cors(@Nullable CorsPolicy cors, String path) {
        if (cors == null) {
            return Optional.empty();
        }
        List<StringMatcher> origins = new ArrayList<>();
        for (int i = 0; i < cors.getAllowOrigins().size(); i++) {
            origin(cors.getAllowOrigins().get(i), path + ".allowOrigins[" + i + "]").ifPresent(origins::add);
        }
        if (!cors.getAllowOrigin().isEmpty()) {
            reporter.report(Code.DEPRECATED, source, path + ".allowOrigin", "deprecated (expected: allowOrigins)");
            cors.getAllowOrigin().forEach(o -> origins.add(new StringMatcher.Exact(o)));
        }
        Optional<Duration> maxAge = cors.getMaxAge() == null ? Optional.empty()
                : reporter.duration(cors.getMaxAge(), source, path + ".maxAge");
        String unmatched = cors.getUnmatchedPreflights() == null
                || cors.getUnmatchedPreflights().name().equals("UNSPECIFIED") ? "FORWARD"
                : cors.getUnmatchedPreflights().name();
        return Optional.of(new io.meshgate.translator.ir.CorsPolicy(origins, cors.getAllowMethods(),
                cors.getAllowHeaders(), cors.getExposeHeaders(), maxAge,
                Optional.ofNullable(cors.getAllowCredentials()), unmatched));
    }

    private Optional<StringMatcher> origin(StringMatch match, String path) {
        if (match.getMatchType() instanceof StringMatchExact e && e.getExact() != null) {
            return Optional.of(new StringMatcher.Exact(e.getExact()));
        }
        if (match.getMatchType() instanceof StringMatchPrefix p && p.getPrefix() != null) {
            return Optional.of(new StringMatcher.Prefix(p.getPrefix()));
        }
        if (match.getMatchType() instanceof StringMatchRegex r && r.getRegex() != null) {
            return regexChecker.regex(r.getRegex(), path + ".regex").map(StringMatcher.Regex::new);
        }
        return Optional.empty();
    }
}
