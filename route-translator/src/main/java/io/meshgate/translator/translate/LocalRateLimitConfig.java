package io.meshgate.translator.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.RateLimit;
import io.meshgate.translator.ir.SourceRef;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Envoy's {@code envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit} as an EnvoyFilter writes
 * it (proto JSON: {@code snake_case} or {@code lowerCamelCase} field names), directly or wrapped in a
 * {@code TypedStruct}. Of its fields the token bucket, {@code filter_enabled} and {@code filter_enforced} apply;
 * the others are reported and ignored.
 */
final class LocalRateLimitConfig {

    static final String TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3"
            + ".LocalRateLimit";
    private static final Set<String> TYPED_STRUCTS = Set.of("type.googleapis.com/udpa.type.v1.TypedStruct",
            "type.googleapis.com/xds.type.v3.TypedStruct");
    /** Envoy refuses shorter fill intervals. */
    private static final Duration MIN_FILL_INTERVAL = Duration.ofMillis(50);
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;
    private static final Map<String, Long> DENOMINATORS = Map.of("HUNDRED", 100L, "TEN_THOUSAND", 10_000L,
            "MILLION", 1_000_000L);

    /** A LocalRateLimit message and the field path it was written at. */
    record Located(JsonNode message, String path) {
    }

    /**
     * What a config asks for: {@code valid} false when it cannot be applied (reported); else the bucket, if it has
     * one and the filter is enabled, and whether its decisions are only counted.
     */
    record Outcome(boolean valid, Optional<RateLimit.Limit> limit, boolean shadow) {
        static final Outcome INVALID = new Outcome(false, Optional.empty(), false);
        static final Outcome NO_LIMIT = new Outcome(true, Optional.empty(), false);
    }

    private final Reporter reporter;
    private final SourceRef resource;
    private boolean valid;

    LocalRateLimitConfig(Reporter reporter, SourceRef resource) {
        this.reporter = reporter;
        this.resource = resource;
    }

    /** The LocalRateLimit message inside a {@code typed_config}, or empty when it holds another type. */
    static Optional<Located> unwrap(JsonNode typedConfig, String path) {
        String type = typedConfig.path("@type").asText("");
        if (type.equals(TYPE_URL)) {
            return Optional.of(new Located(typedConfig, path));
        }
        if (TYPED_STRUCTS.contains(type)) {
            Optional<Map.Entry<String, JsonNode>> url = field(typedConfig, "type_url");
            if (url.isPresent() && url.get().getValue().asText("").equals(TYPE_URL)) {
                return Optional.of(new Located(typedConfig.path("value"), path + ".value"));
            }
        }
        return Optional.empty();
    }

    /** The type a {@code typed_config} names, for messages. */
    static String typeOf(JsonNode typedConfig) {
        String type = typedConfig.path("@type").asText("");
        if (type.isEmpty()) {
            return "no typed_config @type";
        }
        if (TYPED_STRUCTS.contains(type)) {
            return field(typedConfig, "type_url").map(e -> e.getValue().asText("")).orElse(type);
        }
        return type;
    }

    Outcome read(Located config) {
        String path = config.path();
        if (!config.message().isObject()) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, resource, path, "(expected: a LocalRateLimit message)");
            return Outcome.INVALID;
        }
        valid = true;
        Optional<RateLimit.Limit> bucket = Optional.empty();
        Optional<Double> enabled = Optional.empty();
        Optional<Double> enforced = Optional.empty();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.message().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path + "." + field.getKey();
            switch (snakeCase(field.getKey())) {
                case "@type", "stat_prefix" -> { }
                case "token_bucket" -> bucket = tokenBucket(field.getValue(), at);
                case "filter_enabled" -> enabled = percent(field.getValue(), at);
                case "filter_enforced" -> enforced = percent(field.getValue(), at);
                default -> reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, resource, at, "local_ratelimit "
                        + "field " + field.getKey() + " is not supported by this gateway version; ignored (the token "
                        + "bucket applies without it)");
            }
        }
        if (!valid) {
            return Outcome.INVALID;
        }
        if (bucket.isEmpty()) {
            return Outcome.NO_LIMIT;
        }
        if (enabled.isEmpty()) {
            reporter.report(Code.INEFFECTIVE_FIELD, resource, path, "filter_enabled is not set, "
                    + "and Envoy enables the filter for 0% of requests by default: nothing is limited (expected: "
                    + "filter_enabled with default_value numerator 100)");
            return Outcome.NO_LIMIT;
        }
        if (enabled.get() == 0) {
            return Outcome.NO_LIMIT;
        }
        if (enforced.isEmpty()) {
            reporter.report(Code.INEFFECTIVE_FIELD, resource, path, "filter_enforced is not set, "
                    + "and Envoy enforces 0% of decisions by default: requests over the limit are counted, never "
                    + "rejected (expected: filter_enforced with default_value numerator 100)");
        }
        return new Outcome(true, bucket, enforced.orElse(0.0) == 0);
    }

    private Optional<RateLimit.Limit> tokenBucket(JsonNode bucket, String path) {
        if (!bucket.isObject()) {
            return invalid(path, bucket + " (expected: max_tokens, tokens_per_fill and fill_interval)");
        }
        Optional<Long> maxTokens = Optional.empty();
        Optional<Long> tokensPerFill = Optional.of(1L);
        Optional<Duration> fillInterval = Optional.empty();
        boolean maxTokensSet = false;
        boolean fillIntervalSet = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = bucket.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path + "." + field.getKey();
            switch (snakeCase(field.getKey())) {
                case "max_tokens" -> {
                    maxTokensSet = true;
                    maxTokens = positive(field.getValue(), at);
                }
                case "tokens_per_fill" -> tokensPerFill = positive(field.getValue(), at);
                case "fill_interval" -> {
                    fillIntervalSet = true;
                    fillInterval = interval(field.getValue(), at);
                }
                default -> invalid(at, "unknown field \"" + field.getKey() + "\" (expected: max_tokens, "
                        + "tokens_per_fill or fill_interval)");
            }
        }
        if (!maxTokensSet) {
            invalid(path + ".max_tokens", "missing (expected: the bucket size, at least 1)");
        }
        if (!fillIntervalSet) {
            invalid(path + ".fill_interval", "missing (expected: a duration such as 1s, at least 50ms)");
        }
        if (maxTokens.isEmpty() || tokensPerFill.isEmpty() || fillInterval.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RateLimit.Limit(maxTokens.get(), tokensPerFill.get(), fillInterval.get(), false,
                maxTokens.get(), fillInterval.get()));
    }

    private Optional<Long> positive(JsonNode value, String path) {
        long number;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            number = value.longValue();
        } else if (value.isTextual() && value.asText().matches("\\d{1,10}")) {
            number = Long.parseLong(value.asText());
        } else {
            return invalid(path, value + " (expected: a whole number)");
        }
        if (number < 1 || number > MAX_UINT32) {
            return invalid(path, number + " (expected: 1 to " + MAX_UINT32 + ")");
        }
        return Optional.of(number);
    }

    private Optional<Duration> interval(JsonNode value, String path) {
        Optional<Duration> parsed = value.isTextual() ? DurationParser.parse(value.asText()) : Optional.empty();
        if (parsed.isEmpty() || parsed.get().compareTo(MIN_FILL_INTERVAL) < 0) {
            return invalid(path, value + " (expected: a duration such as 1s or 0.5s, at least 50ms)");
        }
        return parsed;
    }

    /** A {@code RuntimeFractionalPercent}: the fraction of its default value; the runtime key has no runtime here. */
    private Optional<Double> percent(JsonNode value, String path) {
        Optional<Map.Entry<String, JsonNode>> defaultValue = field(value, "default_value");
        if (!value.isObject() || defaultValue.isEmpty() || !defaultValue.get().getValue().isObject()) {
            return invalid(path, "(expected: default_value with numerator and denominator)");
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("default_value", "runtime_key").contains(snakeCase(name))) {
                invalid(path + "." + name, "unknown field \"" + name + "\" (expected: default_value, runtime_key)");
            }
        }
        String at = path + "." + defaultValue.get().getKey();
        JsonNode fraction = defaultValue.get().getValue();
        long numerator = field(fraction, "numerator").map(e -> e.getValue().asLong(-1)).orElse(0L);
        String denominatorName = field(fraction, "denominator").map(e -> e.getValue().asText()).orElse("HUNDRED");
        Long denominator = DENOMINATORS.get(denominatorName);
        if (numerator < 0) {
            return invalid(at + ".numerator", fraction.path("numerator") + " (expected: a whole number, 0 or more)");
        }
        if (denominator == null) {
            return invalid(at + ".denominator", "\"" + denominatorName + "\" (expected: HUNDRED, TEN_THOUSAND or "
                    + "MILLION)");
        }
        double share = Math.min(1.0, (double) numerator / denominator);
        if (share > 0 && share < 1) {
            reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, resource, at, numerator + "/" + denominatorName
                    + ": a share of requests is not supported by this gateway version, only 0% and 100%; applied "
                    + "to every request");
            share = 1;
        }
        return Optional.of(share);
    }

    private <T> Optional<T> invalid(String path, String message) {
        valid = false;
        reporter.report(Code.SCHEMA_VALIDATION_ERROR, resource, path, message);
        return Optional.empty();
    }

    /** A field of a proto JSON object, written in {@code snake_case} or {@code lowerCamelCase}. */
    static Optional<Map.Entry<String, JsonNode>> field(JsonNode object, String snakeName) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (snakeCase(field.getKey()).equals(snakeName)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
