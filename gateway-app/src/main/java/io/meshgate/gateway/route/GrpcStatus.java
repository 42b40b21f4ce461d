package io.meshgate.gateway.route;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * gRPC status codes as the gateway meets them: by name in a fault's {@code grpcStatus}, in a {@code grpc-status}
 * response header or trailer, or derived from the HTTP status of a response that carries none (gRPC's
 * HTTP-to-gRPC mapping, which Envoy applies to answers and to its {@code grpc_response_status}).
 */
public final class GrpcStatus {

    public static final int UNKNOWN = 2;

    private static final Map<String, Integer> CODES = Map.ofEntries(Map.entry("OK", 0),
            Map.entry("CANCELLED", 1), Map.entry("UNKNOWN", 2), Map.entry("INVALID_ARGUMENT", 3),
            Map.entry("DEADLINE_EXCEEDED", 4), Map.entry("NOT_FOUND", 5), Map.entry("ALREADY_EXISTS", 6),
            Map.entry("PERMISSION_DENIED", 7), Map.entry("RESOURCE_EXHAUSTED", 8),
            Map.entry("FAILED_PRECONDITION", 9), Map.entry("ABORTED", 10), Map.entry("OUT_OF_RANGE", 11),
            Map.entry("UNIMPLEMENTED", 12), Map.entry("INTERNAL", 13), Map.entry("UNAVAILABLE", 14),
            Map.entry("DATA_LOSS", 15), Map.entry("UNAUTHENTICATED", 16));

    private GrpcStatus() {
    }

    /** Whether a request is a gRPC call: its content type is {@code application/grpc} or a variant of it. */
    public static boolean isGrpc(HttpHeaders requestHeaders) {
        String type = requestHeaders.getFirst(HttpHeaders.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, "application/grpc", 0, 16);
    }

    /** The code of a status written as a name ({@code UNAVAILABLE}) or a number ({@code 14}); UNKNOWN otherwise. */
    public static int code(String status) {
        String name = status.strip().toUpperCase(Locale.ROOT);
        Integer code = CODES.get(name);
        if (code != null) {
            return code;
        }
        return name.matches("\\d{1,2}") ? Integer.parseInt(name) : UNKNOWN;
    }

    /** gRPC's mapping of an HTTP status without a {@code grpc-status} to a gRPC code. */
    public static int fromHttp(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> 13;
            case 401 -> 16;
            case 403 -> 7;
            case 404 -> 12;
            case 429, 502, 503, 504 -> 14;
            default -> UNKNOWN;
        };
    }

    /**
     * The gRPC status of a gRPC call's response: from its {@code grpc-status} header (a trailers-only answer), else
     * from the upstream's trailers, else derived from the HTTP status. Empty for a call that is not gRPC.
     */
    public static OptionalInt of(ServerWebExchange exchange, StreamInfo info, int httpStatus) {
        if (!isGrpc(exchange.getRequest().getHeaders())) {
            return OptionalInt.empty();
        }
        @Nullable String header = exchange.getResponse().getHeaders().getFirst("grpc-status");
        if (header != null) {
            return OptionalInt.of(code(header));
        }
        Integer trailer = info.grpcStatusFromTrailers();
        if (trailer != null) {
            return OptionalInt.of(trailer);
        }
        return OptionalInt.of(fromHttp(httpStatus));
    }
}
