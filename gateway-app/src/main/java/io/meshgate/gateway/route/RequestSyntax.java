package io.meshgate.gateway.route;

import io.meshgate.gateway.listener.ServerConnection;
import io.meshgate.gateway.tls.HandshakeServer;
import java.util.Iterator;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The request checks that run before routing, on the request as the client sent it (reactor-netty's request, whose
 * header lines Spring has not merged), answered as local replies:
 *
 * <ul>
 *   <li>CONNECT: 405, as no route allows it; over HTTP/1.1 the connection closes, so that what follows the request
 *       is never read as another request;</li>
 *   <li>a transfer coding other than a lone {@code chunked}: 501 and the connection closes (RFC 9112 §6.1, Envoy);
 *       {@code chunked} not last or absent ({@code identity}), and Transfer-Encoding with Content-Length, never get here: Netty's decoder answers
 *       400 and closes (RFC 9112 §6.3);</li>
 *   <li>more header fields than the limit: 431 (Envoy's {@code max_headers_count});</li>
 *   <li>no Host, or an empty one, over HTTP/1.1 and HTTP/1.0 alike: 400, as no host is invented; two Host headers:
 *       400, except over HTTP/2 a {@code host} equal to {@code :authority} (RFC 9113 §8.3.1);</li>
 *   <li>an absolute-form target ({@code GET http://a.example.com/x}): its authority replaces Host (RFC 9112 §3.2.2).</li>
 * </ul>
 */
final class RequestSyntax {

    /** The headers reactor-netty adds when it turns an HTTP/2 stream into an HTTP/1.1 request. */
    private static final String HTTP2_EXTENSION = "x-http2-";

    /** Why a request is refused, and how. */
    enum Refusal {
        CONNECT(405, "NR", true),
        TRANSFER_CODING(501, "DPE", true),
        TOO_MANY_HEADERS(431, "DPE", false),
        MISSING_HOST(400, "", false),
        DUPLICATE_HOST(400, "DPE", false),
        INVALID_TARGET(400, "DPE", false);

        private final int status;
        private final String flag;
        /** Whether the request's body can no longer be told from the next request, so the connection must close. */
        private final boolean closes;

        Refusal(int status, String flag, boolean closes) {
            this.status = status;
            this.flag = flag;
            this.closes = closes;
        }

        Mono<Void> answer(ServerWebExchange exchange) {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            if (this == CONNECT) {
                headers.set(HttpHeaders.ALLOW, "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE");
            }
            if (closes && !HandshakeServer.isHttp2(exchange.getRequest())) {
                headers.set(HttpHeaders.CONNECTION, "close");
            }
            return LocalResponses.respond(exchange, status, "", flag);
        }
    }

    private final int maxHeadersCount;

    RequestSyntax(int maxHeadersCount) {
        this.maxHeadersCount = maxHeadersCount;
    }

    /** Routes the request with {@code next} when it is well formed, with Host set from an absolute-form target. */
    Mono<Void> check(ServerWebExchange exchange, Function<ServerWebExchange, Mono<Void>> next) {
        HttpServerRequest request = nettyRequest(exchange.getRequest());
        if (request == null) {
            return next.apply(exchange);
        }
        Refusal refusal = refusal(exchange.getRequest(), request.requestHeaders());
        if (refusal != null) {
            return refusal.answer(exchange);
        }
        String target = targetAuthority(request.uri());
        if (target == null) {
            return next.apply(exchange);
        }
        if (target.isEmpty()) {
            return Refusal.INVALID_TARGET.answer(exchange);
        }
        if (target.equalsIgnoreCase(exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST))) {
            return next.apply(exchange);
        }
        return next.apply(exchange.mutate().request(r -> r.headers(h -> h.set(HttpHeaders.HOST, target))).build());
    }

    private @Nullable Refusal refusal(ServerHttpRequest request, io.netty.handler.codec.http.HttpHeaders headers) {
        if ("CONNECT".equals(request.getMethod().name())) {
            return Refusal.CONNECT;
        }
        if (headers.contains(HttpHeaders.TRANSFER_ENCODING) && !isChunkedOnly(headers)) {
            return Refusal.TRANSFER_CODING;
        }
        if (headers.size() > maxHeadersCount && fieldCount(request, headers) > maxHeadersCount) {
            return Refusal.TOO_MANY_HEADERS;
        }
        Iterator<String> hosts = headers.valueStringIterator(HttpHeaders.HOST);
        if (!hosts.hasNext()) {
            return Refusal.MISSING_HOST;
        }
        String host = hosts.next();
        if (host.isBlank()) {
            return Refusal.MISSING_HOST;
        }
        while (hosts.hasNext()) {
            if (!HandshakeServer.isHttp2(request) || !hosts.next().equalsIgnoreCase(host)) {
                return Refusal.DUPLICATE_HOST;
            }
        }
        return null;
    }

    private static boolean isChunkedOnly(io.netty.handler.codec.http.HttpHeaders headers) {
        Iterator<String> codings = headers.valueStringIterator(HttpHeaders.TRANSFER_ENCODING);
        return codings.hasNext() && codings.next().strip().equalsIgnoreCase("chunked") && !codings.hasNext();
    }

    /** The header lines the client sent: over HTTP/2, without the ones the conversion to HTTP/1.1 added. */
    private static int fieldCount(ServerHttpRequest request, io.netty.handler.codec.http.HttpHeaders headers) {
        if (!HandshakeServer.isHttp2(request)) {
            return headers.size();
        }
        int count = 0;
        for (Iterator<java.util.Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
                it.hasNext();) {
            CharSequence name = it.next().getKey();
            if (!io.netty.util.AsciiString.regionMatches(name, true, 0, HTTP2_EXTENSION, 0, HTTP2_EXTENSION.length())) {
                count++;
            }
        }
        return count;
    }

    /**
     * The authority of an absolute-form target ({@code http://host:port/path}), empty when it has none, or null for
     * any other form ({@code /path}, {@code *}).
     */
    static @Nullable String targetAuthority(String target) {
        if (target.isEmpty() || target.charAt(0) == '/' || target.charAt(0) == '*') {
            return null;
        }
        int schemeEnd = target.indexOf("://");
        if (schemeEnd <= 0 || !isScheme(target, schemeEnd)) {
            return null;
        }
        int start = schemeEnd + 3;
        int end = start;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
            end++;
        }
        return target.substring(start, end);
    }

    private static boolean isScheme(String target, int end) {
        for (int i = 0; i < end; i++) {
            char c = target.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable HttpServerRequest nettyRequest(ServerHttpRequest request) {
        return ServerConnection.of(request) instanceof HttpServerRequest netty ? netty : null;
    }
}
