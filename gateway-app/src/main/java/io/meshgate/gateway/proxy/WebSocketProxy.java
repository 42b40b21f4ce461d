package io.meshgate.gateway.proxy;

import io.meshgate.gateway.route.LocalResponses;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

/**
 * WebSocket upgrades, upstream first: the upgrade is sent to the backend, and only once the backend answered
 * {@code 101} is the client upgraded (with the subprotocol the backend chose) and messages relayed both ways. A backend
 * that refuses the upgrade (403, 400, a plain HTTP backend's 200 or 404) gives the client its status and no
 * upgrade, as Envoy passes an upstream's non-101 answer on; an invalid {@code 101} gives 502 (UPE). A backend that
 * cannot be reached fails the try as any other request (503 UF). Spring Cloud Gateway's WebSocket filter upgraded
 * the client before it even connected upstream, so a refusal became a {@code 101} and then a close.
 */
final class WebSocketProxy {

    /** The backend's messages held until the client is upgraded; then the backpressure window. */
    private static final int EARLY_MESSAGES = 32;

    private final HandshakeWebSocketService downstream =
            new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy());

    static boolean isUpgrade(ServerWebExchange exchange) {
        return "websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade());
    }

    Mono<Void> forward(ServerWebExchange exchange, HttpClient http, URI upstream, int attempt) {
        HttpHeaders headers = new HttpHeaders();
        // the client's own handshake headers (key, version, extensions) are the upstream client's to choose
        UpstreamHeaders.forEach(exchange, attempt, (name, value) -> {
            if (!name.toLowerCase(Locale.ROOT).startsWith("sec-websocket-")) {
                headers.add(name, value);
            }
        });
        List<String> protocols = protocols(exchange.getRequest().getHeaders());
        // a wrapper of the try's client, cheap to make: kept per client, it would outlive every rotated TLS client
        ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient(http);
        return client.execute(upstream, headers, new Handler(protocols, session -> upgradeClient(exchange, session)))
                .onErrorResume(WebSocketProxy::refusal, error -> refused(exchange, error));
    }

    /**
     * Upgrades the client once the backend's session is open. The upgrade completes as soon as the client has its
     * {@code 101} (the relay then runs on its own); the backend's session must last until the relay ends, so it waits
     * for that instead. If the client is never relayed (its upgrade failed or was not taken), or when the relay
     * ends in any way, the backend's session ends too (its handler completes, which closes it) and the messages read
     * ahead are released.
     */
    private Mono<Void> upgradeClient(ServerWebExchange exchange, WebSocketSession upstream) {
        Sinks.Empty<Void> relayed = Sinks.empty();
        AtomicBoolean started = new AtomicBoolean();
        HeldMessages held = new HeldMessages();
        Disposable.Swap reading = Disposables.swap();
        // read from now on: what the backend sends (and its close) while the client is being upgraded would be
        // lost otherwise; publish holds at most EARLY_MESSAGES of it, and reads on at the client's pace
        Flux<WebSocketMessage> fromUpstream = upstream.receive().doOnNext(held::hold)
                .publish(EARLY_MESSAGES).autoConnect(0, reading::update).filter(held::handOver);
        Handler relay = new Handler(chosen(upstream), client -> {
            started.set(true);
            return relay(upstream, fromUpstream, client).doFinally(signal -> relayed.tryEmitEmpty());
        });
        return downstream.handleRequest(exchange, relay)
                .then(Mono.defer(() -> started.get() ? relayed.asMono() : Mono.<Void>empty()))
                .doFinally(signal -> {
                    reading.dispose();
                    held.releaseAll();
                });
    }

    private static List<String> protocols(HttpHeaders headers) {
        List<String> protocols = new ArrayList<>();
        for (String value : headers.getOrEmpty("Sec-WebSocket-Protocol")) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    protocols.add(token.strip());
                }
            }
        }
        return protocols;
    }

    private static List<String> chosen(WebSocketSession upstream) {
        String protocol = upstream.getHandshakeInfo().getSubProtocol();
        return protocol == null ? List.of() : List.of(protocol);
    }

    private static Mono<Void> relay(WebSocketSession upstream, Flux<WebSocketMessage> fromUpstream,
            WebSocketSession client) {
        Mono<Void> toUpstream = upstream.send(client.receive().doOnNext(WebSocketMessage::retain));
        Mono<Void> toClient = client.send(fromUpstream);
        return Mono.zip(toUpstream, toClient).then();
    }

    private static boolean refusal(Throwable error) {
        return handshakeFailure(error) != null;
    }

    private static @Nullable WebSocketClientHandshakeException handshakeFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebSocketClientHandshakeException handshake) {
                return handshake;
            }
        }
        return null;
    }

    private static Mono<Void> refused(ServerWebExchange exchange, Throwable error) {
        WebSocketClientHandshakeException failure = handshakeFailure(error);
        HttpResponse response = failure == null ? null : failure.response();
        int status = response == null ? 502 : response.status().code();
        if (status == 101 || status < 200) {
            // a 101 without a valid accept, or an interim answer: not something the client can use
            return LocalResponses.respond(exchange, 502, "upstream WebSocket handshake failed", "UPE");
        }
        return LocalResponses.respond(exchange, status, "", "");
    }

    /** A WebSocket handler from its subprotocols and what it does with the session. */
    private record Handler(List<String> subProtocols, java.util.function.Function<WebSocketSession, Mono<Void>> body)
            implements WebSocketHandler {

        @Override
        public List<String> getSubProtocols() {
            return subProtocols;
        }

        @Override
        public Mono<Void> handle(WebSocketSession session) {
            return body.apply(session);
        }
    }
}
