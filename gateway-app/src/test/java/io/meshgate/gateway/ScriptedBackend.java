package io.meshgate.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real HTTP backend on 127.0.0.1 that misbehaves as told: it answers 200, answers a fixed error status, answers
 * gRPC {@code UNAVAILABLE}, answers 200 after 150 ms, fails a first try and never answers a retry, never answers, stops in the middle of its body, or closes the connection without a response. It records every request it
 * saw, so tests can tell which tries reached it.
 */
final class ScriptedBackend implements AutoCloseable {

    /** How the backend answers every request. */
    enum Behavior { OK, FAIL_503, GRPC_UNAVAILABLE, HANG, STALL_BODY, CLOSE, SLOW, FAIL_FIRST_TRY_THEN_HANG }

    /** One request as the backend saw it. */
    record Seen(String method, String testId, String attemptCount, String body) {
    }

    private final String name;
    private volatile Behavior behavior;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final DisposableServer server;
    /** Every open connection, so that closing the backend closes them too, as when its process dies. */
    private final io.netty.channel.group.ChannelGroup connectionGroup = new io.netty.channel.group.DefaultChannelGroup(
            io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);

    ScriptedBackend(String name, Behavior behavior) {
        this.name = name;
        this.behavior = behavior;
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .channelGroup(connectionGroup)
                .doOnChannelInit((observer, channel, remote) -> connections.incrementAndGet())
                .handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            seen.add(new Seen(request.method().name(), header(request.requestHeaders(), "x-test-id"),
                                    header(request.requestHeaders(), "x-envoy-attempt-count"), body));
                            response.header("x-backend", name);
                            Behavior now = this.behavior;
                            return switch (now) {
                                case OK -> response.sendString(Mono.just(name + " ok")).then();
                                case SLOW -> Mono.delay(java.time.Duration.ofMillis(150))
                                        .then(response.sendString(Mono.just(name + " ok")).then());
                                case FAIL_503 -> response.status(503).sendString(Mono.just(name + " failed")).then();
                                case GRPC_UNAVAILABLE -> response.header("content-type", "application/grpc")
                                        .header("grpc-status", "14").send().then();
                                case HANG -> Mono.never();
                                case FAIL_FIRST_TRY_THEN_HANG -> "1".equals(request.requestHeaders()
                                        .get("x-envoy-attempt-count"))
                                        ? response.status(503).sendString(Mono.just(name + " failed")).then()
                                        : Mono.never();
                                case STALL_BODY -> response.sendString(Flux.just(name + " partial")
                                        .concatWith(Flux.never())).then();
                                case CLOSE -> {
                                    response.withConnection(connection -> connection.channel().close());
                                    yield Mono.never();
                                }
                            };
                        }))
                .bindNow();
    }

    private static String header(io.netty.handler.codec.http.HttpHeaders headers, String name) {
        String value = headers.get(name);
        return value == null ? "" : value;
    }

    int port() {
        return server.port();
    }

    /** From now on, answers as {@code behavior} says. */
    void behave(Behavior behavior) {
        this.behavior = behavior;
    }

    /** The connections the backend accepted; fewer than requests when the gateway reuses them. */
    int connections() {
        return connections.get();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Stops at once, as a process that dies: the listening socket and every open connection close. */
    @Override
    public void close() {
        server.dispose();
        connectionGroup.close().awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS);
        server.onDispose().block(java.time.Duration.ofSeconds(5));
    }
}
