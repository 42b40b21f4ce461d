package io.meshgate.gateway.route;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream tries of one request, in its {@link StreamInfo}: the retry filter numbers them and the destination
 * filter records the endpoint each went to, so a retry can pick another one. Its presence also tells the destination
 * filter that upstream failures are answered by the retry filter, not by itself.
 */
public final class UpstreamTries {

    private final boolean avoidPreviousHosts;
    // tries run one after the other, but not always on the same thread
    private final Set<String> tried = ConcurrentHashMap.newKeySet();
    private volatile int count;

    public UpstreamTries(boolean avoidPreviousHosts) {
        this.avoidPreviousHosts = avoidPreviousHosts;
    }

    /** Starts the next try and returns its number, 1 for the first. */
    public int start() {
        count = count + 1;
        return count;
    }

    /** The number of tries started so far. */
    public int count() {
        return count;
    }

    public boolean isRetry() {
        return count > 1;
    }

    public void tried(String hostPort) {
        tried.add(hostPort);
    }

    /** The endpoints ({@code address:port}) this try should not go to. */
    public Set<String> avoid() {
        return avoidPreviousHosts ? Collections.unmodifiableSet(tried) : Set.of();
    }
}
