package io.meshgate.gateway.route;

import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The request headers Envoy sets at the edge ({@code use_remote_address}, no trusted hops): the client's address
 * appended to {@code x-forwarded-for}, {@code x-forwarded-proto} set to the scheme it used, {@code x-request-id}
 * kept or generated (once per request, the same on every retry), and {@code proxy-connection} dropped with the other
 * hop-by-hop headers. Applied while Spring Cloud Gateway builds the upstream request, so the incoming request is
 * never copied for it.
 */
public final class EdgeHeadersFilter implements HttpHeadersFilter, Ordered {

    static final String REQUEST_ID = "x-request-id";
    private static final String REQUEST_ID_ATTRIBUTE = "meshgate.requestId";

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HttpHeaders out = HttpHeaders.copyOf(input);
        out.remove("proxy-connection");
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote != null && remote.getAddress() != null) {
            String client = remote.getAddress().getHostAddress();
            // Spring Cloud Gateway drops x-forwarded-* from untrusted proxies before this filter; Envoy keeps the
            // client's list and appends to it (trusting none of it for routing)
            String forwarded = exchange.getRequest().getHeaders().getFirst("x-forwarded-for");
            out.set("x-forwarded-for", forwarded == null || forwarded.isBlank() ? client : forwarded + "," + client);
        }
        String scheme = exchange.getRequest().getURI().getScheme();
        out.set("x-forwarded-proto", scheme == null ? "http" : scheme);
        if (!out.containsHeader(REQUEST_ID)) {
            String id = exchange.getAttributes().computeIfAbsent(REQUEST_ID_ATTRIBUTE, k -> randomUuid()).toString();
            out.set(REQUEST_ID, id);
        }
        return out;
    }

    /**
     * A version 4 UUID from a thread-local generator: request ids need to be unique, not unguessable, and
     * {@link UUID#randomUUID()} serialises every request on one {@code SecureRandom}.
     */
    static String randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~0xC000000000000000L) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
