package io.meshgate.gateway.filter;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.ClientTls;
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
 * @param tls the mirror cluster's DestinationRule TLS settings when requests to it go over TLS
 * @param http2 whether the mirror cluster's port speaks HTTP/2
 */
record ShadowRequest(HttpMethod method, URI uri, HttpHeaders headers, Optional<Flux<byte[]>> body,
        Optional<ClientTls> tls, boolean http2) {
    ShadowRequest {
        requireNonNull(tls, "tls");
        requireNonNull(method, "method");
        requireNonNull(uri, "uri");
        requireNonNull(headers, "headers");
        requireNonNull(body, "body");
    }
}
