package io.meshgate.translator.translate;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequest;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchExact;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchPrefix;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchRegex;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.HeaderMatch;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.StringMatcher;
import io.meshgate.translator.match.BoundedRegex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Converts Istio's {@code HTTPMatchRequest} to a route match; a block that cannot be evaluated is reported. */
final class MatchConverter {

    /**
     * A converted match block and where it applies.
     *
     * @param index the index of the block in the rule's {@code match} list
     * @param gateways the block's own {@code gateways}, which replace the VirtualService's when not empty
     * @param appliesToGateways false when its source conditions exclude traffic entering through this gateway
     * @param selectsSources whether it has {@code sourceLabels} or {@code sourceNamespace}
     */
    record Block(int index, RouteMatch match, List<String> gateways, boolean appliesToGateways,
            boolean selectsSources) {
        /** The block of a rule without {@code match}: every request, everywhere. */
        static final Block ANY = new Block(0, RouteMatch.ANY, List.of(), true, false);
    }

    private final Reporter reporter;
    private final SourceRef source;
    private final Map<String, String> gatewayLabels;
    private boolean valid;

    MatchConverter(Reporter reporter, SourceRef source, Map<String, String> gatewayLabels) {
        this.reporter = reporter;
        this.source = source;
        this.gatewayLabels = gatewayLabels;
    }

    /** Block {@code index} of a rule, or empty when it holds a condition that cannot be evaluated (reported). */
    Optional<Block> convert(HTTPMatchRequest in, String rulePath, int index) {
        String path = rulePath + ".match[" + index + "]";
        valid = true;
        boolean ignoreCase = Boolean.TRUE.equals(in.getIgnoreUriCase());
        RouteMatch match = new RouteMatch(
                string(in.getUri(), path + ".uri", false),
                ignoreCase,
                string(in.getScheme(), path + ".scheme", false),
                string(in.getMethod(), path + ".method", false),
                string(in.getAuthority(), path + ".authority", false),
                headers(in.getHeaders(), path + ".headers", true),
                headers(in.getWithoutHeaders(), path + ".withoutHeaders", true),
                queryParams(in.getQueryParams(), path + ".queryParams"),
                Optional.ofNullable(in.getPort()).map(Long::intValue));
        if (!valid) {
            return Optional.empty();
        }
        boolean appliesToGateways = in.getSourceNamespace() == null
                && gatewayLabels.entrySet().containsAll(in.getSourceLabels().entrySet());
        if (!appliesToGateways) {
            reporter.report(Code.INEFFECTIVE_FIELD, source, path, "sourceLabels/sourceNamespace select sidecar "
                    + "clients: this match block never matches traffic entering through a gateway");
        }
        boolean selectsSources = in.getSourceNamespace() != null || !in.getSourceLabels().isEmpty();
        return Optional.of(new Block(index, match, in.getGateways(), appliesToGateways, selectsSources));
    }

    private Optional<StringMatcher> string(@Nullable StringMatch match, String path, boolean emptyMeansPresent) {
        if (match == null) {
            return Optional.empty();
        }
        if (match.getMatchType() instanceof StringMatchExact exact && exact.getExact() != null) {
            return Optional.of(new StringMatcher.Exact(exact.getExact()));
        }
        if (match.getMatchType() instanceof StringMatchPrefix prefix && prefix.getPrefix() != null) {
            return Optional.of(new StringMatcher.Prefix(prefix.getPrefix()));
        }
        if (match.getMatchType() instanceof StringMatchRegex regex && regex.getRegex() != null) {
            return regex(regex.getRegex(), path + ".regex").map(StringMatcher.Regex::new);
        }
        return emptyMeansPresent ? Optional.of(new StringMatcher.Present()) : Optional.empty();
    }

    /**
     * Checks an RE2 expression; an invalid one, or one too costly to compile ({@link BoundedRegex}), is reported
     * and makes the enclosing block invalid. The bounds are checked first, so RE2J never builds a huge program.
     */
    Optional<String> regex(String regex, String path) {
        Optional<String> excess = BoundedRegex.excess(regex);
        if (excess.isPresent()) {
            return invalidRegex(path, "\"" + BoundedRegex.quoted(regex) + "\" is too large a RE2 expression: "
                    + excess.get());
        }
        try {
            Pattern.compile(regex);
            return Optional.of(regex);
        } catch (PatternSyntaxException e) {
            return invalidRegex(path, "\"" + BoundedRegex.quoted(regex) + "\" is not a valid RE2 expression: "
                    + e.getDescription());
        }
    }

    private Optional<String> invalidRegex(String path, String message) {
        valid = false;
        reporter.report(Code.INVALID_REGEXP, source, path, message);
        return Optional.empty();
    }

    private List<HeaderMatch> headers(Map<String, StringMatch> headers, String path, boolean lowerCase) {
        if (headers.isEmpty()) {
            return List.of();
        }
        List<HeaderMatch> out = new ArrayList<>();
        new TreeMap<>(headers).forEach((name, match) -> {
            String key = lowerCase ? name.toLowerCase(Locale.ROOT) : name;
            string(match, path + "." + name, true).ifPresent(m -> out.add(new HeaderMatch(key, m)));
        });
        out.sort(Comparator.comparing(HeaderMatch::name));
        return out;
    }

    private List<HeaderMatch> queryParams(Map<String, StringMatch> params, String path) {
        if (params.isEmpty()) {
            return List.of();
        }
        List<HeaderMatch> out = new ArrayList<>();
        new TreeMap<>(params).forEach((name, match) -> {
            Optional<StringMatcher> matcher = string(match, path + "." + name, true);
            if (matcher.isEmpty()) {
                return;
            }
            if (matcher.get() instanceof StringMatcher.Prefix) {
                valid = false;
                reporter.report(Code.UNSUPPORTED_FIELD, source, path + "." + name + ".prefix",
                        "query parameters match by exact or regex only (expected: exact or regex)");
            } else if (matcher.get() instanceof StringMatcher.Exact exact && exact.value().isEmpty()) {
                // Istio: an empty exact value asks only that the parameter be present
                out.add(new HeaderMatch(name, new StringMatcher.Present()));
            } else {
                out.add(new HeaderMatch(name, matcher.get()));
            }
        });
        return out;
    }
}
