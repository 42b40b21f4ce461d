package io.meshgate.gateway.route;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Answers that the gateway writes itself, without a backend: no route, direct responses, faults. */
public final class LocalResponses {

    private LocalResponses() {
    }

    /** Answers {@code status} with an optional plain-text body and marks the response flag, if any. */
    public static Mono<Void> respond(ServerWebExchange exchange, int status, String body, String flag) {
        if (!flag.isEmpty()) {
            IstioAttributes.flag(exchange, flag);
        }
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(status));
        if (body.isEmpty()) {
            response.getHeaders().setContentLength(0);
            return response.setComplete();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
        response.getHeaders().setContentLength(bytes.length);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }
}
