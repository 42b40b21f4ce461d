package io.meshgate.gateway.proxy;

import io.meshgate.gateway.route.StreamInfo;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * The request headers an upstream gets, as Envoy sends them from the edge ({@code use_remote_address}, no trusted
 * hops):
 * <ul>
 *   <li>every header of the (possibly rewritten) request but the hop-by-hop ones: {@code connection} and the headers
 *       it names, {@code keep-alive}, {@code proxy-connection}, {@code proxy-authenticate},
 *       {@code proxy-authorization}, {@code te} (but {@code te: trailers}, which gRPC needs), {@code trailer},
 *       {@code transfer-encoding} and {@code upgrade}; {@code expect}, as the gateway answers
 *       {@code 100-continue} itself (Envoy's default, {@code proxy_100_continue: false}); a {@code content-length}
 *       beside a
 *       {@code transfer-encoding} is dropped too, as such a request is framed by its chunks; so are the
 *       {@code x-http2-*} headers Netty adds to HTTP/2 requests;
 *   <li>{@code x-forwarded-for} with the client's address appended, {@code x-forwarded-proto} set to the scheme it
 *       used (a trusted proxy's own {@code x-forwarded-proto} is kept: it knows the scheme its client used);
 *   <li>{@code x-request-id} kept, or generated once per request (the same on every try);
 *   <li>{@code x-envoy-attempt-count}: the number of the try, 1 for the first.
 * </ul>
 * The {@code Host} is the request's own (or its rewritten authority). Headers only the edge may set
 * ({@code x-envoy-*}, {@code x-forwarded-client-cert}) were already cleaned by
 * {@link io.meshgate.gateway.forwarding.EdgeHeaderSanitizer}.
 */
public final class UpstreamHeaders {

    public static final String REQUEST_ID = "x-request-id";
    public static final String ATTEMPT_COUNT = "x-envoy-attempt-count";
    private static final String FORWARDED_FOR = "x-forwarded-for";
    private static final String FORWARDED_PROTO = "x-forwarded-proto";
    /** Netty's HTTP/2-to-HTTP/1 adapter adds {@code x-http2-stream-id} and the like to h2 requests. */
    private static final String NETTY_HTTP2_PREFIX = "x-http2-";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "expect", FORWARDED_FOR, FORWARDED_PROTO, ATTEMPT_COUNT);

    private UpstreamHeaders() {
    }

    /**
     * Passes each upstream header to {@code add}, the {@code Host} first.
     *
     * @param attempt the try's number, or 0 to send no attempt count
     */
    public static void forEach(ServerWebExchange exchange, int attempt, BiConsumer<String, String> add) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        String host = headers.getFirst(HttpHeaders.HOST);
        if (host == null) {
            host = request.getURI().getRawAuthority();
        }
        if (host != null) {
            add.accept(HttpHeaders.HOST, host);
        }
        List<String> nominated = nominatedByConnection(headers.getFirst(HttpHeaders.CONNECTION));
        boolean chunked = headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower)) {
                if ("te".equals(lower) && asksForTrailers(values)) {
                    add.accept(name, "trailers");
                }
                return;
            }
            if (lower.startsWith(NETTY_HTTP2_PREFIX)) {
                return;
            }
            if ((chunked && "content-length".equals(lower)) || (!nominated.isEmpty() && nominated.contains(lower))) {
                return;
            }
            for (String value : values) {
                add.accept(name, value);
            }
        });
        String client = clientAddress(request);
        if (client != null) {
            String forwarded = headers.getFirst(FORWARDED_FOR);
            add.accept(FORWARDED_FOR, forwarded == null || forwarded.isBlank() ? client : forwarded + "," + client);
        }
        String scheme = request.getURI().getScheme();
        StreamInfo info = StreamInfo.of(exchange);
        String trustedProto = info.trustedPeer() ? headers.getFirst(FORWARDED_PROTO) : null;
        add.accept(FORWARDED_PROTO, trustedProto != null ? trustedProto : scheme == null ? "http" : scheme);
        if (!headers.containsHeader(REQUEST_ID)) {
            add.accept(REQUEST_ID, info.requestId(UpstreamHeaders::randomUuid));
        }
        if (attempt > 0) {
            add.accept(ATTEMPT_COUNT, Integer.toString(attempt));
        }
    }

    private static boolean asksForTrailers(List<String> values) {
        for (String value : values) {
            for (String token : value.split(",")) {
                if ("trailers".equalsIgnoreCase(token.strip())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a response header is hop-by-hop, and so not passed on to the client. */
    static boolean isHopByHop(String lowerCaseName) {
        return HOP_BY_HOP.contains(lowerCaseName) && !"host".equals(lowerCaseName)
                && !FORWARDED_FOR.equals(lowerCaseName) && !FORWARDED_PROTO.equals(lowerCaseName)
                && !ATTEMPT_COUNT.equals(lowerCaseName);
    }

    private static List<String> nominatedByConnection(@Nullable String connection) {
        // the common values nominate nothing: no split, no list, on the request path
        if (connection == null || connection.isEmpty() || connection.equalsIgnoreCase("keep-alive")
                || connection.equalsIgnoreCase("close")) {
            return List.of();
        }
        return java.util.Arrays.stream(connection.split(","))
                .map(token -> token.strip().toLowerCase(Locale.ROOT))
                .filter(token -> !token.isEmpty() && !"close".equals(token) && !"keep-alive".equals(token))
                .toList();
    }

    private static @Nullable String clientAddress(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
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
}
