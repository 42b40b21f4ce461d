package io.meshgate.gateway.filter;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Flux;

/**
 * One mirrored copy of a request, ready to send.
 *
 * @param uri the mirror endpoint's address with the request's (rewritten) path and query
 * @param headers the headers the main backend gets, with the {@code -shadow} authority
 * @param body the body's bytes as the client sends them, or empty for a request without a body
 */
record ShadowRequest(HttpMethod method, URI uri, HttpHeaders headers, Optional<Flux<byte[]>> body) {
    ShadowRequest {
        requireNonNull(method, "method");
        requireNonNull(uri, "uri");
        requireNonNull(headers, "headers");
        requireNonNull(body, "body");
    }
}
