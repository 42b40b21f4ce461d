package io.meshgate.gateway.proxy;


import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.gateway.route.UpstreamTarget;
import io.meshgate.gateway.tls.UpstreamTlsClients;
import io.meshgate.translator.ir.ClientTls;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * The end of every forwarding chain: sends the request to the endpoint the destination filter picked and hands the response on once its headers
 * arrive: status and headers (without hop-by-hop ones) go into the exchange's response, where the filters before
 * this one can still change them or discard it for a retry; {@link ResponseWriteFilter} streams the body later.
 * Request bodies stream through, never buffered. WebSocket upgrades go to {@link WebSocketProxy}, upstream first.
 */
public final class UpstreamProxy {

    private static final Map<String, HttpMethod> METHODS = Map.of("GET", HttpMethod.GET, "POST", HttpMethod.POST,
            "PUT", HttpMethod.PUT, "DELETE", HttpMethod.DELETE, "HEAD", HttpMethod.HEAD, "OPTIONS", HttpMethod.OPTIONS,
            "PATCH", HttpMethod.PATCH);

    private final HttpClient client;
    private final HttpClient h2c;
    private final UpstreamTlsClients tlsClients;
    private final WebSocketProxy websockets = new WebSocketProxy();
    /** Clients with a DestinationRule's {@code connectTimeout}, by the client they derive from and the timeout. */
    private final Map<TimedClient, HttpClient> timed = new java.util.concurrent.ConcurrentHashMap<>();

    private record TimedClient(HttpClient base, java.time.Duration timeout) {
    }

    /**
     * Creates the proxy.
     *
     * @param configDir where upstream TLS credentials are looked up, as for Gateway servers
     */
    public UpstreamProxy(UpstreamClient client, Path configDir) {
        this.client = client.client();
        this.h2c = client.h2c();
        this.tlsClients = new UpstreamTlsClients(configDir, this.client);
    }

    /** Forwards the request, if a destination filter picked an endpoint for it. */
    public Mono<Void> forward(ServerWebExchange exchange) {
        StreamInfo info = StreamInfo.of(exchange);
        UpstreamTarget target = info.upstream();
        if (target == null) {
            return Mono.empty();
        }
        if (target.tls().isEmpty()) {
            return forward(exchange, info, target, target.http2() ? h2c : client);
        }
        // a TLS client whose credential files are due for a look comes from another thread: they are read there
        return tlsClients.client(target.tls().get(), target.http2())
                .flatMap(http -> forward(exchange, info, target, http));
    }

    private Mono<Void> forward(ServerWebExchange exchange, StreamInfo info, UpstreamTarget target, HttpClient tried) {
        HttpClient http = tried;
        String hostPort = target.hostPort();
        ServerHttpRequest request = exchange.getRequest();
        ClientTls tls = target.tls().orElse(null);
        boolean http2 = target.http2();
        io.meshgate.translator.ir.ConnectionPool pool = target.pool().orElse(null);
        if (pool != null && pool.connectTimeout().isPresent()) {
            http = withConnectTimeout(http, pool.connectTimeout().get());
        }
        URI incoming = request.getURI();
        String query = incoming.getRawQuery();
        String url = (tls == null ? "http://" : "https://") + hostPort + incoming.getRawPath()
                + (query == null ? "" : "?" + query);
        int attempt = info.attempt();
        if (WebSocketProxy.isUpgrade(exchange)) {
            return websockets.forward(exchange, http, URI.create((tls == null ? "ws://" : "wss://") + url.substring(
                    url.indexOf("://") + 3)), attempt);
        }
        return http.request(method(request))
                .uri(url)
                .send((upstream, out) -> {
                    HttpHeaders headers = upstream.requestHeaders();
                    // reactor-netty's defaults: the client's own, if any, are copied instead
                    headers.remove(HttpHeaderNames.HOST).remove(HttpHeaderNames.USER_AGENT)
                            .remove(HttpHeaderNames.ACCEPT);
                    UpstreamHeaders.forEach(exchange, attempt, headers::add);
                    if (http2) {
                        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
                    } else {
                        frame(headers, request);
                    }
                    return out.send(DownstreamBody.of(exchange));
                })
                .responseConnection((response, connection) -> {
                    PooledConnections.remember(connection, response.responseHeaders().get("keep-alive"),
                            pool);
                    copyStatusAndHeaders(response, exchange.getResponse());
                    UpstreamExchange.received(exchange, response, connection);
                    return Mono.just(response);
                })
                .then()
                .onErrorResume(ClientBodyException.class, error -> clientBroke(exchange, error));
    }

    /**
     * The client broke its own request: the upstream request was reset, and there is nobody to answer (reactor-netty
     * answered 400 already, or the client is gone), so the exchange only records what happened.
     */
    private static Mono<Void> clientBroke(ServerWebExchange exchange, ClientBodyException error) {
        StreamInfo.of(exchange).flag(error.flag());
        if (error.status() > 0) {
            exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(error.status()));
        }
        return Mono.empty();
    }

    /** A client like {@code base} whose connections may take {@code timeout} to open: a DestinationRule's. */
    private HttpClient withConnectTimeout(HttpClient base, java.time.Duration timeout) {
        return timed.computeIfAbsent(new TimedClient(base, timeout), key -> base.option(
                io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE)));
    }

    /**
     * A body of known length is sent with its {@code content-length}; one the client chunked is chunked again, whatever
     * the method (reactor-netty chunks the bodies of methods other than GET, HEAD and DELETE by itself).
     */
    private static void frame(HttpHeaders headers, ServerHttpRequest request) {
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        } else if (request.getHeaders().containsHeader(org.springframework.http.HttpHeaders.TRANSFER_ENCODING)) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
    }

    private static HttpMethod method(ServerHttpRequest request) {
        String name = request.getMethod().name();
        HttpMethod known = METHODS.get(name);
        return known != null ? known : HttpMethod.valueOf(name);
    }

    private static void copyStatusAndHeaders(HttpClientResponse upstream, ServerHttpResponse response) {
        if (response.isCommitted()) {
            return;
        }
        response.setStatusCode(HttpStatusCode.valueOf(upstream.status().code()));
        org.springframework.http.HttpHeaders headers = response.getHeaders();
        upstream.responseHeaders().forEach(header -> {
            if (!UpstreamHeaders.isHopByHop(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(header.getKey(), header.getValue());
            }
        });
    }
}
