package io.meshgate.gateway.filter;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The route {@code timeout} of one request, kept in an exchange attribute. {@link TimeoutFilter} waits on it;
 * {@link RetryFilter} starts the clock when the first try begins, so a fault-injected delay before it does not
 * count, as Envoy's router starts its timer only after the filters before it.
 */
final class RouteDeadline {

    static final String ATTRIBUTE = "meshgate.routeDeadline";

    private final Duration timeout;
    private final Sinks.One<Long> expiry = Sinks.one();
    private final AtomicReference<@Nullable Disposable> timer = new AtomicReference<>();

    RouteDeadline(Duration timeout) {
        this.timeout = requireNonNull(timeout, "timeout");
    }

    static @Nullable RouteDeadline of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    /** Starts the clock, once; later calls do nothing. */
    void start() {
        if (timer.get() != null) {
            return;
        }
        Disposable started = Mono.delay(timeout).subscribe(expiry::tryEmitValue);
        if (!timer.compareAndSet(null, started)) {
            started.dispose();
        }
    }

    /** Emits when the timeout has passed since {@link #start()}; never if it was not started. */
    Mono<Long> expired() {
        return expiry.asMono();
    }

    /** Stops the clock: the request is over. */
    void cancel() {
        Disposable started = timer.getAndSet(Disposables.disposed());
        if (started != null) {
            started.dispose();
        }
    }

    Duration timeout() {
        return timeout;
    }
}
