package io.meshgate.gateway.filter;

import com.google.re2j.Pattern;
import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.translator.ir.Rewrite;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.StringMatcher;
import io.meshgate.translator.match.BoundedRegex;
import io.meshgate.translator.match.MatchResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Istio's {@code rewrite}: {@code uri} replaces the matched prefix (the whole path after an exact or regex match),
 * {@code uriRegexRewrite} replaces every match of its RE2 expression ({@code \1} refers to a group), and
 * {@code authority} replaces the Host sent to the backend.
 */
public final class RewriteFilter implements RouteFilter {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.REWRITE.order();

    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        MatchResult.Matched match = StreamInfo.of(exchange).match();
        if (match == null || !(match.route().action() instanceof RouteAction.Forward forward)
                || forward.rewrite().isEmpty()) {
            return chain.filter(exchange);
        }
        Rewrite rewrite = forward.rewrite().get();
        String path = exchange.getRequest().getPath().value();
        String rewritten = rewrittenPath(rewrite, match.route().match(), path);
        ServerWebExchange next = exchange;
        if (!rewritten.equals(path)) {
            next = next.mutate().request(r -> r.path(rewritten)).build();
        }
        if (rewrite.authority().isPresent()) {
            String authority = rewrite.authority().get();
            next = next.mutate().request(r -> r.headers(h -> h.set(HttpHeaders.HOST, authority))).build();
        }
        return chain.filter(next);
    }

    private String rewrittenPath(Rewrite rewrite, RouteMatch match, String path) {
        if (rewrite.uriRegex().isPresent()) {
            Rewrite.RegexRewrite regex = rewrite.uriRegex().get();
            Pattern pattern = patterns.computeIfAbsent(regex.match(), BoundedRegex::compile);
            return pattern.matcher(path).replaceAll(regex.rewrite().replaceAll("\\\\(\\d)", "\\$$1"));
        }
        if (rewrite.uri().isEmpty()) {
            return path;
        }
        String replacement = rewrite.uri().get();
        if (match.uri().isPresent() && match.uri().get() instanceof StringMatcher.Prefix prefix
                && prefix.value().length() <= path.length()) {
            return replacement + path.substring(prefix.value().length());
        }
        return replacement;
    }

    @Override
    public boolean appliesTo(Route route) {
        return route.action() instanceof RouteAction.Forward forward && forward.rewrite().isPresent();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
