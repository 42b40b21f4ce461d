package io.meshgate.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Requests sent one after the other from a background thread while a test changes the configuration, bounded in
 * count and time; every answer is judged by the test's rule and those it rejects are kept.
 */
final class Traffic implements AutoCloseable {

    private static final int MAX_REQUESTS = 20_000;
    private static final Duration MAX_TIME = Duration.ofSeconds(60);

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger answered = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> rejected = new ConcurrentLinkedQueue<>();
    private final Thread thread;

    /** Sends GET {@code path}; {@code judge} returns empty for a good answer, else what was wrong. */
    Traffic(HttpClient client, String path, Function<HttpClientResponse, String> judge) {
        this.thread = new Thread(() -> {
            long end = System.nanoTime() + MAX_TIME.toNanos();
            for (int i = 0; i < MAX_REQUESTS && running.get() && System.nanoTime() < end; i++) {
                try {
                    String problem = client.get().uri(path)
                            .responseSingle((response, body) -> body.then(
                                    Mono.fromSupplier(() -> judge.apply(response))))
                            .block(Duration.ofSeconds(10));
                    if (problem != null && !problem.isEmpty()) {
                        rejected.add(problem);
                    }
                } catch (RuntimeException e) {
                    rejected.add(e.toString());
                }
                answered.incrementAndGet();
            }
        }, "test-traffic");
        thread.setDaemon(true);
        thread.start();
    }

    /** Good answers are 200. */
    static Traffic expecting200(HttpClient client, String path) {
        return new Traffic(client, path, r -> r.status().code() == 200 ? "" : "status " + r.status().code());
    }

    int answered() {
        return answered.get();
    }

    /** Stops sending and returns what was wrong with the answers. */
    List<String> stop() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofSeconds(30).toMillis());
        return List.copyOf(rejected);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
