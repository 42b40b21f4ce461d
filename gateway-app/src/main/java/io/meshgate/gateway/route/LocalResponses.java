package io.meshgate.gateway.route;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers that the gateway writes itself, without a backend: no route, direct responses, faults. A gRPC call gets
 * its error as gRPC clients read one, as Envoy answers them: HTTP 200 with {@code content-type: application/grpc},
 * {@code grpc-status} (mapped from the HTTP status) and {@code grpc-message} in a trailers-only response.
 */
public final class LocalResponses {

    private LocalResponses() {
    }

    /**
     * Answers {@code status} with an optional plain-text body and marks the response flag, if any; an error status
     * to a gRPC call becomes a gRPC status, its body the message.
     */
    public static Mono<Void> respond(ServerWebExchange exchange, int status, String body, String flag) {
        if (status >= 400 && GrpcStatus.isGrpc(exchange.getRequest().getHeaders())) {
            return grpc(exchange, GrpcStatus.fromHttp(status), body, flag);
        }
        if (!flag.isEmpty()) {
            StreamInfo.of(exchange).flag(flag);
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

    /** Answers a gRPC call with a status and an optional message, and marks the response flag, if any. */
    public static Mono<Void> grpc(ServerWebExchange exchange, int grpcStatus, String message, String flag) {
        if (!flag.isEmpty()) {
            StreamInfo.of(exchange).flag(flag);
        }
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(200));
        HttpHeaders headers = response.getHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, "application/grpc");
        headers.set("grpc-status", Integer.toString(grpcStatus));
        if (!message.isEmpty()) {
            headers.set("grpc-message", percentEncoded(message));
        }
        headers.setContentLength(0);
        return response.setComplete();
    }

    /** gRPC's encoding of {@code grpc-message}: UTF-8, with bytes outside printable ASCII and {@code %} escaped. */
    static String percentEncoded(String message) {
        StringBuilder out = new StringBuilder(message.length());
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
