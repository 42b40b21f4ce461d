package io.meshgate.gateway.ratelimit;

import io.meshgate.gateway.RateLimitProperties;
import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.LocalResponses;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.translator.ir.RateLimit;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.match.MatchResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Enforces a route's rate limit rules, in order: a request a rule selects takes a token from its bucket (a local one
 * in this process, or a global one in Redis, so that local rules shed load before the Redis round trip). The first
 * rule without a token answers 429 (response flag RL) with {@code Retry-After}; a rule in shadow mode only counts.
 * Every answer on a limited route carries the {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} headers of the tightest rule that selected the request (and their {@code X-RateLimit-*}
 * aliases). When Redis cannot answer a global rule in time, the failure mode decides: let the request through, or
 * refuse it with 500 (flag RLSE), as Envoy's rate limit filter does.
 */
public final class RateLimitFilter implements RouteFilter, AutoCloseable {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.RATE_LIMIT.order();

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The rule whose headers the answer carries: the one with the fewest tokens left. */
    private record Shown(RuleBuckets rule, Decision decision) {
    }

    /** Stands for "Redis could not say". */
    private static final Decision FAILED = new Decision(false, 0, 0, 0);

    private final RateLimitProperties properties;
    private final LocalBuckets local;
    private final @Nullable GlobalBuckets global;
    private final RateLimitMetrics metrics;
    private final Map<String, RuleBuckets> rules = new ConcurrentHashMap<>();
    private volatile @Nullable LiveConfig seen;
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    public RateLimitFilter(RateLimitProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.local = new LocalBuckets(properties.maxLocalBuckets());
        this.global = properties.redisUri().isEmpty() ? null
                : new GlobalBuckets(properties.redisUri(), properties.timeout(), properties.maxLocalBuckets());
        this.metrics = new RateLimitMetrics(registry);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        MatchResult.Matched match = StreamInfo.of(exchange).match();
        if (match == null || match.route().policies().rateLimits().isEmpty()) {
            return chain.filter(exchange);
        }
        LiveConfig config = StreamInfo.of(exchange).config();
        if (config != null && config != seen) {
            forgetRulesNotIn(config);
        }
        return check(match.route().policies().rateLimits(), 0, null, exchange, chain);
    }

    /**
     * A new configuration is in force: the buckets of rules it no longer has are dropped, so that rules coming and
     * going over many reloads leave nothing behind.
     */
    private synchronized void forgetRulesNotIn(LiveConfig config) {
        if (config == seen) {
            return;
        }
        Set<String> ids = new HashSet<>();
        Snapshot snapshot = config.snapshot();
        Stream.concat(snapshot.listeners().stream().flatMap(l -> l.virtualHosts().stream()),
                        snapshot.mesh().stream())
                .flatMap(host -> host.routes().stream())
                .forEach(route -> route.policies().rateLimits().forEach(limit -> ids.add(limit.id())));
        rules.keySet().retainAll(ids);
        seen = config;
    }

    /** Checks the rules from {@code from} on; local ones at once, a global one when Redis answers. */
    private Mono<Void> check(List<RateLimit> limits, int from, @Nullable Shown shown, ServerWebExchange exchange,
            GatewayFilterChain chain) {
        Shown tightest = shown;
        for (int i = from; i < limits.size(); i++) {
            RuleBuckets rule = buckets(limits.get(i));
            String key = rule.selectors().key(exchange.getRequest());
            if (key == null) {
                continue;
            }
            if (rule.rule().global()) {
                int next = i + 1;
                Shown before = tightest;
                return globalDecision(rule, key).flatMap(decision -> {
                    if (decision == FAILED) {
                        return failed(rule, limits, next, before, exchange, chain);
                    }
                    return refuses(rule, decision) ? reject(rule, decision, exchange)
                            : check(limits, next, tighter(before, rule, decision), exchange, chain);
                });
            }
            Decision decision = local.consume(rule, key);
            if (refuses(rule, decision)) {
                return reject(rule, decision, exchange);
            }
            tightest = tighter(tightest, rule, decision);
        }
        return pass(tightest, exchange, chain);
    }

    /** Counts a rule's decision; whether the request is to be refused (never by a rule in shadow mode). */
    private boolean refuses(RuleBuckets rule, Decision decision) {
        if (decision.allowed()) {
            metrics.count(rule, RateLimitMetrics.Result.ALLOWED);
            return false;
        }
        boolean shadow = rule.rule().shadow();
        metrics.count(rule, shadow ? RateLimitMetrics.Result.SHADOW_LIMITED : RateLimitMetrics.Result.LIMITED);
        return !shadow;
    }

    /** The rule to show in the headers: the one with fewer tokens left; a shadow rule is never shown. */
    private static @Nullable Shown tighter(@Nullable Shown shown, RuleBuckets rule, Decision decision) {
        if (rule.rule().shadow() || (shown != null && shown.decision().remaining() <= decision.remaining())) {
            return shown;
        }
        return new Shown(rule, decision);
    }

    /** What Redis said, or {@link #FAILED} when it could not say in time (or no Redis is configured). */
    private Mono<Decision> globalDecision(RuleBuckets rule, String key) {
        if (global == null) {
            logFailure("no Redis configured (gateway.ratelimit.redis-uri)");
            return Mono.just(FAILED);
        }
        return global.consume(rule, key).onErrorResume(error -> {
            logFailure(error.toString());
            return Mono.just(FAILED);
        });
    }

    /** Redis did not answer: the failure mode decides (a shadow rule never refuses). */
    private Mono<Void> failed(RuleBuckets rule, List<RateLimit> limits, int next, @Nullable Shown shown,
            ServerWebExchange exchange, GatewayFilterChain chain) {
        metrics.count(rule, RateLimitMetrics.Result.ERROR);
        if (properties.failureMode() == RateLimitProperties.FailureMode.CLOSED && !rule.rule().shadow()) {
            metrics.redisFailure("closed");
            return LocalResponses.respond(exchange, 500, "rate limit service unavailable", "RLSE");
        }
        metrics.redisFailure("open");
        return check(limits, next, shown, exchange, chain);
    }

    private void logFailure(String why) {
        long now = System.nanoTime();
        long last = lastFailureLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastFailureLog.compareAndSet(last, now)) {
            log.warn("Rate limits: a global rule could not be checked within {} ms ({}); failure mode {}",
                    properties.timeout().toMillis(), why, properties.failureMode());
        }
    }

    private Mono<Void> reject(RuleBuckets rule, Decision decision, ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        setHeaders(headers, rule, decision);
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds(decision.nanosToRetry())));
        return LocalResponses.respond(exchange, 429, rule.rule().global() ? "rate_limited" : "local_rate_limited",
                "RL");
    }

    private static Mono<Void> pass(@Nullable Shown shown, ServerWebExchange exchange, GatewayFilterChain chain) {
        if (shown != null) {
            // set now: the backend's headers are added to these, and whatever answers later keeps them
            setHeaders(exchange.getResponse().getHeaders(), shown.rule(), shown.decision());
        }
        return chain.filter(exchange);
    }

    private static void setHeaders(HttpHeaders headers, RuleBuckets rule, Decision decision) {
        String limit = Long.toString(rule.rule().limit().requests());
        String remaining = Long.toString(decision.remaining());
        String reset = Long.toString(seconds(decision.allowed() ? decision.nanosToReset() : decision.nanosToRetry()));
        headers.set("RateLimit-Limit", limit);
        headers.set("RateLimit-Remaining", remaining);
        headers.set("RateLimit-Reset", reset);
        headers.set("X-RateLimit-Limit", limit);
        headers.set("X-RateLimit-Remaining", remaining);
        headers.set("X-RateLimit-Reset", reset);
    }

    /** Whole seconds, rounded up: a client that waits that long finds a token. */
    private static long seconds(long nanos) {
        return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }

    /** The buckets of a rule: kept across reloads while its identity and limit stay the same. */
    private RuleBuckets buckets(RateLimit rule) {
        RuleBuckets current = rules.get(rule.id());
        if (current != null && (current.rule() == rule || sameBuckets(current.rule(), rule))) {
            return current;
        }
        RuleBuckets fresh = new RuleBuckets(rule);
        rules.put(rule.id(), fresh);
        return fresh;
    }

    /** Whether a rule can keep the buckets of its previous version: same limit, same selectors, same scope. */
    private static boolean sameBuckets(RateLimit previous, RateLimit rule) {
        return previous.limit().equals(rule.limit()) && previous.selectors().equals(rule.selectors())
                && previous.global() == rule.global() && previous.shadow() == rule.shadow()
                && previous.policy().equals(rule.policy());
    }

    /** The buckets held now for distinct values of local rules. */
    long localBuckets() {
        return local.size();
    }

    @Override
    public boolean appliesTo(Route route) {
        return !route.policies().rateLimits().isEmpty();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void close() {
        if (global != null) {
            global.close();
        }
    }
}
