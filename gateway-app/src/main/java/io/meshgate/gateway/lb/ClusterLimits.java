package io.meshgate.gateway.lb;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The circuit breaker of one cluster, as Envoy's thresholds from a DestinationRule's {@code connectionPool}: a
 * request beyond {@code maxRequests} in flight is refused at once (response flag UO); within it, at most
 * {@code maxConnections} go upstream at once (an HTTP/1.1 request holds a connection), up to {@code maxPending} more
 * wait for one of them to end, and one beyond both is refused too, instead of queueing without bound. Waiting requests are
 * let through in order; one that goes away while waiting gives up its place. Retries under way are bounded apart
 * ({@code maxRetries}).
 */
final class ClusterLimits {

    private static final Mono<Boolean> ADMITTED = Mono.just(true);
    private static final Mono<Boolean> OVERFLOW = Mono.just(false);

    /** A request waiting for a place; {@code settled} once it was let through or went away. */
    private record Waiter(Sinks.One<Boolean> sink, AtomicBoolean settled) {
    }

    private final Deque<Waiter> waiting = new ArrayDeque<>();
    private int active;
    private int retries;

    /** Takes a place for one retry if fewer than {@code maxRetries} are under way; it must be given back. */
    synchronized boolean startRetry(int maxRetries) {
        if (retries >= maxRetries) {
            return false;
        }
        retries++;
        return true;
    }

    synchronized void retryEnded() {
        retries--;
    }

    /**
     * Asks for a place for one request: {@code true} once it may go upstream (at once, or after waiting),
     * {@code false} when the cluster is over its limits. An admitted request must {@link #release()} its place.
     */
    synchronized Mono<Boolean> acquire(int maxRequests, int maxConnections, int maxPending) {
        if (active + waiting.size() >= maxRequests) {
            return OVERFLOW;
        }
        if (active < maxConnections) {
            active++;
            return ADMITTED;
        }
        if (waiting.size() >= maxPending) {
            return OVERFLOW;
        }
        Waiter waiter = new Waiter(Sinks.one(), new AtomicBoolean());
        waiting.add(waiter);
        return waiter.sink().asMono().doOnCancel(() -> giveUp(waiter));
    }

    /**
     * Takes a place for one relayed connection if fewer than {@code maxConnections} are open; nothing waits (Envoy's
     * TCP proxy closes a connection over the limit). A connection that got a place must {@link #release()} it.
     */
    synchronized boolean tryAcquire(int maxConnections) {
        if (active >= maxConnections) {
            return false;
        }
        active++;
        return true;
    }

    /**
     * An admitted request ended: its place goes to the first request still waiting (let through outside the lock,
     * as it starts its request at once), or is freed.
     */
    void release() {
        Waiter handed = null;
        synchronized (this) {
            for (Waiter next = waiting.poll(); next != null; next = waiting.poll()) {
                if (next.settled().compareAndSet(false, true)) {
                    handed = next;
                    break;
                }
            }
            if (handed == null) {
                active--;
            }
        }
        if (handed != null) {
            handed.sink().tryEmitValue(true);
        }
    }

    private synchronized void giveUp(Waiter waiter) {
        if (waiter.settled().compareAndSet(false, true)) {
            waiting.remove(waiter);
        }
    }

    synchronized int active() {
        return active;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
