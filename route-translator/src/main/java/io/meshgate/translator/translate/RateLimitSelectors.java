package io.meshgate.translator.translate;

import io.meshgate.translator.api.policy.v1alpha1.HeaderMatch;
import io.meshgate.translator.api.policy.v1alpha1.PathMatch;
import io.meshgate.translator.api.policy.v1alpha1.RateLimitSelectCondition;
import io.meshgate.translator.api.policy.v1alpha1.SourceMatch;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.RateLimitSelector;
import io.meshgate.translator.ir.RateLimitSelector.Attribute;
import io.meshgate.translator.ir.RateLimitSelector.MatchType;
import io.meshgate.translator.ir.SourceRef;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Converts the client selectors of one RateLimitPolicy rule to IR selectors, checking every value; a rule with an
 * invalid selector is left out as a whole, since without it the rule would limit more requests than written.
 */
final class RateLimitSelectors {

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
            "OPTIONS", "TRACE", "PATCH");
    /** RFC 9110 token characters, which a header name consists of. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PREFIX_LENGTH = Pattern.compile("\\d{1,3}");

    private final Reporter reporter;
    private final SourceRef policy;
    private final MatchConverter regexes;
    private boolean valid;

    RateLimitSelectors(Reporter reporter, SourceRef policy, MatchConverter regexes) {
        this.reporter = reporter;
        this.policy = policy;
        this.regexes = regexes;
    }

    /** The selectors of {@code conditions}, all ANDed, or empty when one of them is invalid (reported). */
    Optional<List<RateLimitSelector>> convert(List<RateLimitSelectCondition> conditions, String path) {
        valid = true;
        List<RateLimitSelector> out = new ArrayList<>();
        for (int c = 0; c < conditions.size(); c++) {
            RateLimitSelectCondition condition = conditions.get(c);
            String at = path + "[" + c + "]";
            for (int h = 0; h < condition.getHeaders().size(); h++) {
                header(condition.getHeaders().get(h), at + ".headers[" + h + "]").ifPresent(out::add);
            }
            if (condition.getSourceCIDR() != null) {
                source(condition.getSourceCIDR(), at + ".sourceCIDR").ifPresent(out::add);
            }
            if (condition.getPath() != null) {
                path(condition.getPath(), at + ".path").ifPresent(out::add);
            }
            if (!condition.getMethods().isEmpty()) {
                methods(condition.getMethods(), at + ".methods").ifPresent(out::add);
            }
        }
        return valid ? Optional.of(out) : Optional.empty();
    }

    private Optional<RateLimitSelector> header(HeaderMatch header, String path) {
        String name = header.getName();
        if (name == null || name.isEmpty()) {
            return invalid(path + ".name", "missing (expected: a header name)");
        }
        if (!HEADER_NAME.matcher(name).matches()) {
            return invalid(path + ".name", "\"" + name + "\" (expected: a header name)");
        }
        String lowerName = name.toLowerCase(Locale.ROOT);
        String type = header.getType() == null ? "Exact" : header.getType();
        boolean invert = Boolean.TRUE.equals(header.getInvert());
        return switch (type) {
            case "Exact" -> required(header.getValue(), path + ".value")
                    .map(v -> new RateLimitSelector(Attribute.HEADER, MatchType.EXACT, lowerName, List.of(v), invert));
            case "RegularExpression" -> required(header.getValue(), path + ".value")
                    .flatMap(v -> regex(v, path + ".value"))
                    .map(v -> new RateLimitSelector(Attribute.HEADER, MatchType.REGULAR_EXPRESSION, lowerName,
                            List.of(v), invert));
            case "Distinct" -> {
                if (header.getValue() != null) {
                    yield invalid(path + ".value", "\"" + header.getValue() + "\" (expected: no value for type "
                            + "Distinct, which takes one bucket per value of the header)");
                }
                if (invert) {
                    yield invalid(path + ".invert", "true (expected: invert only with Exact or RegularExpression)");
                }
                yield Optional.of(new RateLimitSelector(Attribute.HEADER, MatchType.DISTINCT, lowerName, List.of(),
                        false));
            }
            default -> invalid(path + ".type", "\"" + type + "\" (expected: Exact, RegularExpression or Distinct)");
        };
    }

    private Optional<RateLimitSelector> source(SourceMatch source, String path) {
        String type = source.getType() == null ? "Exact" : source.getType();
        MatchType matchType;
        switch (type) {
            case "Exact" -> matchType = MatchType.EXACT;
            case "Distinct" -> matchType = MatchType.DISTINCT;
            default -> {
                return invalid(path + ".type", "\"" + type + "\" (expected: Exact or Distinct)");
            }
        }
        Optional<String> cidr = required(source.getValue(), path + ".value");
        if (cidr.isEmpty()) {
            return Optional.empty();
        }
        if (!isCidr(cidr.get())) {
            return invalid(path + ".value", "\"" + cidr.get() + "\" (expected: an IPv4 or IPv6 CIDR such as "
                    + "10.0.0.0/8 or 2001:db8::/32)");
        }
        return Optional.of(new RateLimitSelector(Attribute.SOURCE_CIDR, matchType, "", List.of(cidr.get()), false));
    }

    private Optional<RateLimitSelector> path(PathMatch match, String path) {
        String type = match.getType() == null ? "PathPrefix" : match.getType();
        Optional<String> value = required(match.getValue(), path + ".value");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return switch (type) {
            case "Exact", "PathPrefix" -> {
                if (!value.get().startsWith("/")) {
                    yield invalid(path + ".value", "\"" + value.get() + "\" (expected: a path starting with /)");
                }
                MatchType matchType = type.equals("Exact") ? MatchType.EXACT : MatchType.PREFIX;
                yield Optional.of(new RateLimitSelector(Attribute.PATH, matchType, "", List.of(value.get()), false));
            }
            case "RegularExpression" -> regex(value.get(), path + ".value").map(v ->
                    new RateLimitSelector(Attribute.PATH, MatchType.REGULAR_EXPRESSION, "", List.of(v), false));
            default -> invalid(path + ".type", "\"" + type + "\" (expected: Exact, PathPrefix or RegularExpression)");
        };
    }

    private Optional<RateLimitSelector> methods(List<String> methods, String path) {
        List<String> upper = new ArrayList<>();
        boolean ok = true;
        for (int m = 0; m < methods.size(); m++) {
            String method = methods.get(m) == null ? "" : methods.get(m).toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                invalid(path + "[" + m + "]", "\"" + methods.get(m) + "\" (expected: one of "
                        + String.join(", ", METHODS) + ")");
                ok = false;
            } else if (!upper.contains(method)) {
                upper.add(method);
            }
        }
        return ok ? Optional.of(new RateLimitSelector(Attribute.METHOD, MatchType.EXACT, "", upper, false))
                : Optional.empty();
    }

    private Optional<String> required(@Nullable String value, String path) {
        if (value == null || value.isEmpty()) {
            return invalid(path, "missing (expected: a value)");
        }
        return Optional.of(value);
    }

    private Optional<String> regex(String value, String path) {
        Optional<String> checked = regexes.regex(value, path);
        valid &= checked.isPresent();
        return checked;
    }

    private <T> Optional<T> invalid(String path, String message) {
        valid = false;
        reporter.report(Code.SCHEMA_VALIDATION_ERROR, policy, path, message);
        return Optional.empty();
    }

    /** An IPv4 or IPv6 address with a prefix length; parsed without any name lookup. */
    static boolean isCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || !PREFIX_LENGTH.matcher(text.substring(slash + 1)).matches()) {
            return false;
        }
        String address = text.substring(0, slash);
        int length = Integer.parseInt(text.substring(slash + 1));
        var v4 = IPV4.matcher(address);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return length <= 32;
        }
        if (!IPV6.matcher(address).matches()) {
            return false;
        }
        try {
            // in brackets InetAddress takes only an IPv6 literal and never asks DNS
            InetAddress.getByName("[" + address + "]");
            return length <= 128;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
