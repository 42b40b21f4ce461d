package io.meshgate.gateway.lb;

import io.meshgate.translator.ir.LoadBalancer;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The 64-bit hash of a request under a DestinationRule's {@code consistentHash} key, computed as Envoy's hash
 * policies compute it: the xxHash64 (seed 0) of a header's value, a cookie's value, a query parameter's first value
 * or the client's IP address. A header with several values hashes them sorted, each seeding the next, so their order
 * does not matter. There is no key when the value is absent, and an empty cookie counts as absent; the caller then
 * picks an endpoint at random, or generates a cookie with {@link CookieAffinity}.
 */
public final class HashKey {

    private final Source source;
    private final String name;

    private HashKey(Source source, String name) {
        this.source = source;
        this.name = name;
    }

    /**
     * The key of the given settings.
     *
     * @throws IllegalArgumentException when {@code settings.key()} is not one of Istio's four hash keys
     */
    public static HashKey of(LoadBalancer.ConsistentHash settings) {
        Source source = switch (settings.key()) {
            case "httpHeaderName" -> Source.HEADER;
            case "httpCookie" -> Source.COOKIE;
            case "httpQueryParameterName" -> Source.QUERY_PARAMETER;
            case "useSourceIp" -> Source.SOURCE_IP;
            default -> throw new IllegalArgumentException("key: " + settings.key()
                    + " (expected: httpHeaderName, httpCookie, httpQueryParameterName or useSourceIp)");
        };
        return new HashKey(source, settings.name());
    }

    /** The request's hash, or empty when the request lacks the value it is taken from. */
    public OptionalLong compute(HashRequest request) {
        return switch (source) {
            case HEADER -> headerHash(request.headerValues(name));
            case COOKIE -> {
                String value = request.cookie(name);
                yield value == null || value.isEmpty() ? OptionalLong.empty() : OptionalLong.of(XxHash64.hash(value));
            }
            case QUERY_PARAMETER -> hashOf(request.queryParameter(name));
            case SOURCE_IP -> hashOf(request.sourceAddress());
        };
    }

    private static OptionalLong headerHash(List<String> values) {
        if (values.isEmpty()) {
            return OptionalLong.empty();
        }
        long hash = 0;
        for (String value : values.stream().sorted().toList()) {
            hash = XxHash64.hash(value, hash);
        }
        return OptionalLong.of(hash);
    }

    private static OptionalLong hashOf(@Nullable String value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(XxHash64.hash(value));
    }

    private enum Source { HEADER, COOKIE, QUERY_PARAMETER, SOURCE_IP }
}
