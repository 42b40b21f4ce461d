package io.meshgate.translator.translate;

import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.HeaderMatch;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.StringMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds rules that can never match because an earlier rule of the same VirtualService matches everything they
 * match (Istio's IST0130), and single match blocks that are shadowed the same way (IST0131).
 */
final class Reachability {

    private Reachability() {
    }

    /**
     * {@code blocksByRule.get(i)} are the valid match blocks of rule i; an empty list is a rule left out. A block
     * shadows a later one only where it applies too: it must name no gateways or every gateway the later one names,
     * and select no sidecar clients ({@code sourceLabels}, {@code sourceNamespace}).
     */
    static void check(List<List<MatchConverter.Block>> blocksByRule, SourceRef vs, Reporter reporter) {
        for (int i = 1; i < blocksByRule.size(); i++) {
            List<MatchConverter.Block> blocks = blocksByRule.get(i);
            if (blocks.isEmpty()) {
                continue;
            }
            int shadowed = 0;
            int firstShadower = -1;
            for (MatchConverter.Block block : blocks) {
                int by = coveredBy(blocksByRule, i, block, vs.namespace());
                if (by >= 0) {
                    shadowed++;
                    firstShadower = firstShadower < 0 ? by : firstShadower;
                    if (blocks.size() > 1) {
                        reporter.report(Code.INEFFECTIVE_MATCH, vs, "spec.http[" + i + "].match[" + block.index()
                                + "]", "never used: spec.http[" + by + "] matches every request it matches");
                    }
                }
            }
            if (shadowed == blocks.size()) {
                reporter.report(Code.UNREACHABLE_RULE, vs, "spec.http[" + i + "]",
                        "unreachable: spec.http[" + firstShadower + "] matches every request this rule matches");
            }
        }
    }

    private static int coveredBy(List<List<MatchConverter.Block>> blocksByRule, int rule, MatchConverter.Block block,
            String namespace) {
        for (int k = 0; k < rule; k++) {
            for (MatchConverter.Block earlier : blocksByRule.get(k)) {
                if (appliesWherever(earlier, block, namespace) && covers(earlier.match(), block.match())) {
                    return k;
                }
            }
        }
        return -1;
    }

    private static boolean appliesWherever(MatchConverter.Block earlier, MatchConverter.Block later,
            String namespace) {
        if (earlier.selectsSources()) {
            return false;
        }
        if (earlier.gateways().isEmpty()) {
            return true;
        }
        Set<String> where = keys(earlier.gateways(), namespace);
        return !later.gateways().isEmpty() && where.containsAll(keys(later.gateways(), namespace));
    }

    private static Set<String> keys(List<String> gateways, String namespace) {
        return gateways.stream().map(g -> g.equals("mesh") ? g : HttpRouteBinder.gatewayKey(g, namespace))
                .collect(Collectors.toSet());
    }

    /** Whether every request {@code later} matches is also matched by {@code earlier}. */
    static boolean covers(RouteMatch earlier, RouteMatch later) {
        return uriCovers(earlier, later)
                && valueCovers(earlier.scheme(), later.scheme(), false)
                && valueCovers(earlier.method(), later.method(), false)
                && valueCovers(earlier.authority(), later.authority(), false)
                && implied(earlier.headers(), later.headers())
                && later.withoutHeaders().containsAll(earlier.withoutHeaders())
                && implied(earlier.queryParams(), later.queryParams())
                && (earlier.port().isEmpty() || earlier.port().equals(later.port()));
    }

    private static boolean uriCovers(RouteMatch earlier, RouteMatch later) {
        if (earlier.uri().isEmpty()) {
            return true;
        }
        if (later.uri().isEmpty()) {
            return false;
        }
        if (earlier.ignoreUriCase() || !later.ignoreUriCase()) {
            return valueCovers(earlier.uri(), later.uri(), earlier.ignoreUriCase());
        }
        return false;
    }

    private static boolean valueCovers(Optional<StringMatcher> earlier, Optional<StringMatcher> later,
            boolean ignoreCase) {
        if (earlier.isEmpty()) {
            return true;
        }
        if (later.isEmpty()) {
            return false;
        }
        return matcherCovers(earlier.get(), later.get(), ignoreCase);
    }

    private static boolean matcherCovers(StringMatcher earlier, StringMatcher later, boolean ignoreCase) {
        if (earlier.equals(later)) {
            return true;
        }
        if (earlier instanceof StringMatcher.Present) {
            return true;
        }
        if (earlier instanceof StringMatcher.Prefix prefix) {
            String p = fold(prefix.value(), ignoreCase);
            if (later instanceof StringMatcher.Prefix other) {
                return fold(other.value(), ignoreCase).startsWith(p);
            }
            if (later instanceof StringMatcher.Exact exact) {
                return fold(exact.value(), ignoreCase).startsWith(p);
            }
        }
        if (earlier instanceof StringMatcher.Exact exact && later instanceof StringMatcher.Exact other) {
            return fold(exact.value(), ignoreCase).equals(fold(other.value(), ignoreCase));
        }
        return false;
    }

    /** Each earlier condition must be implied by a later condition on the same name. */
    private static boolean implied(List<HeaderMatch> earlier, List<HeaderMatch> later) {
        for (HeaderMatch condition : earlier) {
            boolean found = false;
            for (HeaderMatch other : later) {
                if (other.name().equals(condition.name()) && matcherCovers(condition.matcher(), other.matcher(),
                        false)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static String fold(String value, boolean ignoreCase) {
        return ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    }
}
