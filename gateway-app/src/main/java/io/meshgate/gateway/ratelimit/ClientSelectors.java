package io.meshgate.gateway.ratelimit;

import com.google.re2j.Pattern;
import io.meshgate.translator.ir.RateLimitSelector;
import io.meshgate.translator.ir.RateLimitSelector.MatchType;
import io.meshgate.translator.match.BoundedRegex;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The selectors of one rate limit rule, compiled: whether a request is one the rule limits, and which of its buckets
 * it takes from. The bucket key joins the values the {@code DISTINCT} selectors read (header values, the client
 * address), so each distinct combination gets a bucket of its own; a rule without them has one bucket.
 */
final class ClientSelectors {

    /** The key of a request the rule does not apply to. */
    static final @Nullable String NOT_SELECTED = null;

    private interface Selector {
        /** The request's value for the bucket key ({@code ""} for a non-distinct selector), or null: no match. */
        @Nullable String select(ServerHttpRequest request);
    }

    private final List<Selector> selectors;
    private final boolean distinct;

    private ClientSelectors(List<Selector> selectors, boolean distinct) {
        this.selectors = selectors;
        this.distinct = distinct;
    }

    static ClientSelectors of(List<RateLimitSelector> selectors) {
        List<Selector> compiled = new ArrayList<>(selectors.size());
        for (RateLimitSelector selector : selectors) {
            compiled.add(compile(selector));
        }
        return new ClientSelectors(compiled, selectors.stream().anyMatch(s -> s.type() == MatchType.DISTINCT));
    }

    /** Whether some selector is {@code DISTINCT}, so the rule has a bucket per value. */
    boolean distinct() {
        return distinct;
    }

    /**
     * The bucket key of a request every selector matches ({@code ""} for a rule without distinct selectors), or
     * {@link #NOT_SELECTED}.
     */
    @Nullable String key(ServerHttpRequest request) {
        if (!distinct) {
            for (Selector selector : selectors) {
                if (selector.select(request) == null) {
                    return NOT_SELECTED;
                }
            }
            return "";
        }
        StringBuilder key = new StringBuilder();
        for (Selector selector : selectors) {
            String value = selector.select(request);
            if (value == null) {
                return NOT_SELECTED;
            }
            if (!value.isEmpty()) {
                // values are separated by a character no header value or address contains
                key.append(value).append('\n');
            }
        }
        return key.toString();
    }

    private static Selector compile(RateLimitSelector selector) {
        return switch (selector.attribute()) {
            case HEADER -> header(selector);
            case SOURCE_CIDR -> sourceCidr(selector);
            case PATH -> path(selector);
            case METHOD -> method(selector);
        };
    }

    private static Selector header(RateLimitSelector selector) {
        String name = selector.name();
        if (selector.type() == MatchType.DISTINCT) {
            // an absent header selects nothing, as Envoy skips a descriptor whose header is missing
            return request -> request.getHeaders().getFirst(name);
        }
        Pattern regex = selector.type() == MatchType.REGULAR_EXPRESSION
                ? BoundedRegex.compile(selector.values().get(0)) : null;
        String exact = selector.values().isEmpty() ? "" : selector.values().get(0);
        boolean invert = selector.invert();
        return request -> {
            String value = request.getHeaders().getFirst(name);
            boolean matches = value != null && (regex != null ? regex.matches(value) : exact.equals(value));
            return matches != invert ? "" : null;
        };
    }

    private static Selector sourceCidr(RateLimitSelector selector) {
        Cidr cidr = Cidr.parse(selector.values().get(0));
        boolean distinct = selector.type() == MatchType.DISTINCT;
        return request -> {
            InetSocketAddress remote = request.getRemoteAddress();
            InetAddress address = remote == null ? null : remote.getAddress();
            if (address == null || !cidr.contains(address)) {
                return null;
            }
            return distinct ? address.getHostAddress() : "";
        };
    }

    private static Selector path(RateLimitSelector selector) {
        String value = selector.values().get(0);
        return switch (selector.type()) {
            case EXACT -> request -> value.equals(request.getPath().value()) ? "" : null;
            case PREFIX -> request -> request.getPath().value().startsWith(value) ? "" : null;
            case REGULAR_EXPRESSION -> {
                Pattern regex = BoundedRegex.compile(value);
                yield request -> regex.matches(request.getPath().value()) ? "" : null;
            }
            case DISTINCT -> throw new IllegalArgumentException("a path selector cannot be Distinct");
        };
    }

    private static Selector method(RateLimitSelector selector) {
        Set<String> methods = Set.copyOf(selector.values().stream().map(m -> m.toUpperCase(Locale.ROOT)).toList());
        return request -> methods.contains(request.getMethod().name()) ? "" : null;
    }
}
