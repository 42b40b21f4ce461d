package io.meshgate.translator.translate;

import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.HeaderMatch;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.StringMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds rules that can never match because an earlier rule of the same VirtualService matches everything they
 * match (Istio's IST0130), and single match blocks that are shadowed the same way (IST0131).
 */
final class Reachability {

    private Reachability() {
    }

    /** {@code blocksByRule.get(i)} are the valid match blocks of rule i; an empty list is a rule left out. */
    static void check(List<List<RouteMatch>> blocksByRule, SourceRef vs, Reporter reporter) {
        for (int i = 1; i < blocksByRule.size(); i++) {
            List<RouteMatch> blocks = blocksByRule.get(i);
            if (blocks.isEmpty()) {
                continue;
            }
            int shadowed = 0;
            int firstShadower = -1;
            for (int j = 0; j < blocks.size(); j++) {
                int by = coveredBy(blocksByRule, i, blocks.get(j));
                if (by >= 0) {
                    shadowed++;
                    firstShadower = firstShadower < 0 ? by : firstShadower;
                    if (blocks.size() > 1) {
                        reporter.report(Code.INEFFECTIVE_MATCH, vs, "spec.http[" + i + "].match[" + j + "]",
                                "never used: spec.http[" + by + "] matches every request it matches");
                    }
                }
            }
            if (shadowed == blocks.size()) {
                reporter.report(Code.UNREACHABLE_RULE, vs, "spec.http[" + i + "]",
                        "unreachable: spec.http[" + firstShadower + "] matches every request this rule matches");
            }
        }
    }

    private static int coveredBy(List<List<RouteMatch>> blocksByRule, int rule, RouteMatch block) {
        for (int k = 0; k < rule; k++) {
            for (RouteMatch earlier : blocksByRule.get(k)) {
                if (covers(earlier, block)) {
                    return k;
                }
            }
        }
        return -1;
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
