package io.meshgate.gateway.route;

import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.match.RequestView;

/** Builds the {@code Location} of an Istio {@code HTTPRedirect}, as Envoy does. */
public final class RedirectLocation {

    private RedirectLocation() {
    }

    /** The location {@code redirect} sends {@code request} to. */
    public static String of(RouteAction.Redirect redirect, RequestView request) {
        String scheme = redirect.scheme().orElse(request.scheme());
        String authority = request.authority() == null ? "" : request.authority();
        String host = redirect.authority().orElse(hostOf(authority));
        String port = portPart(redirect, request, authority, scheme);
        String path = redirect.uri().orElse(request.path());
        String query = request.query().isEmpty() || path.contains("?") ? "" : "?" + request.query();
        return scheme + "://" + host + port + path + query;
    }

    private static String portPart(RouteAction.Redirect redirect, RequestView request, String authority,
            String scheme) {
        if (redirect.port().isPresent()) {
            return ":" + redirect.port().get();
        }
        if (redirect.derivePort().isPresent()) {
            if (redirect.derivePort().get().equals("FROM_REQUEST_PORT")) {
                return ":" + request.port();
            }
            return "";
        }
        if (redirect.authority().isPresent() || redirect.scheme().isPresent()) {
            return "";
        }
        String host = hostOf(authority);
        return authority.length() > host.length() ? authority.substring(host.length()) : "";
    }

    static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.indexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }
}
