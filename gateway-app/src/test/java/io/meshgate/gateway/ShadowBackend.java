package io.meshgate.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A mirror target on 127.0.0.1 and a free port that records every request it gets, body included. A hanging one
 * reads the request and never answers.
 */
final class ShadowBackend implements AutoCloseable {

    /** One request as the backend saw it. */
    record Seen(String method, String uri, String host, String body, String version) {
    }

    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final DisposableServer server;

    ShadowBackend(boolean hang) {
        this(hang, UnaryOperator.identity());
    }

    /** A backend whose transport is set up by {@code transport} (TLS, HTTP/2). */
    ShadowBackend(boolean hang, UnaryOperator<HttpServer> transport) {
        this.server = transport.apply(HttpServer.create())
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            seen.add(new Seen(request.method().name(), request.uri(),
                                    String.valueOf(request.requestHeaders().get("host")), body,
                                    request.version().text()));
                            return hang ? Mono.<Void>never() : response.sendString(Mono.just("shadow")).then();
                        }))
                .bindNow();
    }

    int port() {
        return server.port();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** The requests seen whose URI starts with {@code prefix}. */
    List<Seen> seen(String prefix) {
        return seen.stream().filter(s -> s.uri().startsWith(prefix)).toList();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
