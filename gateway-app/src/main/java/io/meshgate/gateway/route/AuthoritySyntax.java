package io.meshgate.gateway.route;

/**
 * Whether a Host header is a syntactically valid authority ({@code host[:port]}, with IPv6 literals in brackets).
 * Envoy answers 400 to anything else; looking such a host up would only ever give 404.
 */
final class AuthoritySyntax {

    private AuthoritySyntax() {
    }

    static boolean isValid(String authority) {
        if (authority.length() > 255 + 6) {
            return false;
        }
        int portStart = authority.length();
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            if (end < 0 || !isIpv6(authority.substring(1, end))) {
                return false;
            }
            portStart = end + 1;
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                portStart = colon;
            }
            if (!isHostName(authority.substring(0, portStart))) {
                return false;
            }
        }
        return portStart == authority.length() || isPort(authority.substring(portStart));
    }

    private static boolean isHostName(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String address) {
        if (address.isEmpty()) {
            return false;
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(String colonPort) {
        if (colonPort.length() < 2 || colonPort.length() > 6 || colonPort.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < colonPort.length(); i++) {
            if (!Character.isDigit(colonPort.charAt(i))) {
                return false;
            }
        }
        return Integer.parseInt(colonPort.substring(1)) <= 65535;
    }
}
