package io.meshgate.gateway.filter;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * The upstream tries of one request, kept in an exchange attribute: {@link RetryFilter} numbers them and
 * {@link DestinationFilter} records the endpoint each went to, so a retry can pick another one. Its presence also
 * tells {@link DestinationFilter} that upstream failures are answered by the retry filter, not by itself.
 */
final class UpstreamTries {

    static final String ATTRIBUTE = "meshgate.upstreamTries";

    private final boolean avoidPreviousHosts;
    // tries run one after the other, but not always on the same thread
    private final Set<String> tried = ConcurrentHashMap.newKeySet();
    private volatile int count;

    UpstreamTries(boolean avoidPreviousHosts) {
        this.avoidPreviousHosts = avoidPreviousHosts;
    }

    static @Nullable UpstreamTries of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    /** Starts the next try and returns its number, 1 for the first. */
    int start() {
        count = count + 1;
        return count;
    }

    /** The number of tries started so far. */
    int count() {
        return count;
    }

    boolean isRetry() {
        return count > 1;
    }

    void tried(String hostPort) {
        tried.add(hostPort);
    }

    /** The endpoints ({@code address:port}) this try should not go to. */
    Set<String> avoid() {
        return avoidPreviousHosts ? Collections.unmodifiableSet(tried) : Set.of();
    }
}
