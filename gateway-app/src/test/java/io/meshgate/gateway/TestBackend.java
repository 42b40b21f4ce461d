package io.meshgate.gateway;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real HTTP backend on 127.0.0.1 and a free port. It answers {@code <name> <method> <path>} and echoes the
 * request's headers back as {@code x-echo-<name>} response headers, so tests can see what the gateway forwarded.
 */
final class TestBackend implements AutoCloseable {

    private final String name;
    private final AtomicInteger requests = new AtomicInteger();
    private final DisposableServer server;

    TestBackend(String name) {
        this.name = name;
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> {
                    requests.incrementAndGet();
                    request.requestHeaders().forEach(h -> response.addHeader("x-echo-" + h.getKey(), h.getValue()));
                    response.header("x-backend", name);
                    String body = name + " " + request.method().name() + " " + request.uri();
                    return request.receive().then()
                            .then(response.sendString(Mono.just(body), StandardCharsets.UTF_8).then());
                })
                .bindNow();
    }

    int port() {
        return server.port();
    }

    String name() {
        return name;
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
