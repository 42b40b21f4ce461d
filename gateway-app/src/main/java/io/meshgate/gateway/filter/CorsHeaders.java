package io.meshgate.gateway.filter;

import io.meshgate.translator.ir.CorsPolicy;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * The response headers Envoy's CORS filter writes, from the policy as Istio renders it for Envoy: lists joined by
 * {@code ,} and {@code maxAge} in whole seconds. A list that is exactly {@code *} echoes what the preflight asks for.
 */
final class CorsHeaders {

    private CorsHeaders() {
    }

    /**
     * The answer to a preflight the gateway answers itself.
     *
     * @param allowedOrigin the request's origin if the policy allows it; null for an unmatched preflight that the
     *     policy ignores, which Envoy answers with the other headers but no {@code Access-Control-Allow-Origin}
     */
    static void preflight(CorsPolicy cors, @Nullable String allowedOrigin, HttpHeaders request,
            HttpHeaders response) {
        if (allowedOrigin != null) {
            response.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, allowedOrigin);
        }
        if (cors.allowCredentials().orElse(false)) {
            response.set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        String methods = String.join(",", cors.allowMethods());
        if (!methods.isEmpty()) {
            response.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods.equals("*")
                    ? valueOf(request, HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) : methods);
        }
        String headers = String.join(",", cors.allowHeaders());
        if (!headers.isEmpty()) {
            response.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers.equals("*")
                    ? valueOf(request, HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS) : headers);
        }
        cors.maxAge().ifPresent(maxAge ->
                response.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, Long.toString(maxAge.getSeconds())));
    }

    /** The headers added to the backend's (or a local) answer to a request from an allowed origin. */
    static void actual(CorsPolicy cors, String origin, HttpHeaders response) {
        response.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if (cors.allowCredentials().orElse(false)) {
            response.set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        String expose = String.join(",", cors.exposeHeaders());
        if (!expose.isEmpty()) {
            response.set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, expose);
        }
    }

    private static String valueOf(HttpHeaders request, String name) {
        String value = request.getFirst(name);
        return value == null ? "" : value;
    }
}
