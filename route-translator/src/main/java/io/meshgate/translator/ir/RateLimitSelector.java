package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;

/**
 * One condition of a {@link RateLimit} rule, on one attribute of the request (Envoy Gateway's client selectors).
 *
 * <ul>
 *   <li>{@code HEADER}: {@code name} is the header; EXACT (values: [value]), REGULAR_EXPRESSION (values: [RE2
 *       regex, full match]) or DISTINCT (values: []: present, one bucket per value). {@code invert} negates EXACT
 *       and REGULAR_EXPRESSION (an absent header then matches).
 *   <li>{@code SOURCE_CIDR}: the client's address (the downstream peer) is in the CIDR (values: [cidr]); EXACT, or
 *       DISTINCT: one bucket per address in it.
 *   <li>{@code PATH}: the request path (without the query): EXACT, PREFIX or REGULAR_EXPRESSION (values: [value]).
 *   <li>{@code METHOD}: EXACT, the method is one of values.
 * </ul>
 *
 * @param name the header name (lower case) for HEADER, else empty
 */
public record RateLimitSelector(Attribute attribute, MatchType type, String name, List<String> values,
        boolean invert) {
    public RateLimitSelector {
        requireNonNull(attribute, "attribute");
        requireNonNull(type, "type");
        requireNonNull(name, "name");
        values = List.copyOf(values);
    }

    /**
     * By the enums' names: an enum's own hash code is its identity, different in every process, and a snapshot's
     * version is a hash of its content that must be the same wherever the same configuration is translated.
     */
    @Override
    public int hashCode() {
        return Objects.hash(attribute.name(), type.name(), name, values, invert);
    }

    /** What part of the request a selector reads. */
    public enum Attribute { HEADER, SOURCE_CIDR, PATH, METHOD }

    /** How it compares. */
    public enum MatchType { EXACT, PREFIX, REGULAR_EXPRESSION, DISTINCT }
}
