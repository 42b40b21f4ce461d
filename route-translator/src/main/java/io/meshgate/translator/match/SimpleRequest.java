package io.meshgate.translator.match;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RequestView} held in memory, for tests and for the CLI, which builds one from a command-line URL.
 *
 * @param port the port the request arrived on
 * @param authority the authority as sent, with its port if any; null or empty when missing
 * @param query the raw query without {@code ?}, or empty
 * @param headers header values by name; names are lower-cased, and values of names that differ only in case are
 *     joined with {@code ,}
 */
public record SimpleRequest(int port, @Nullable String authority, String method, String scheme, String path,
        String query, Map<String, String> headers) implements RequestView {

    public SimpleRequest {
        requireNonNull(method, "method");
        requireNonNull(scheme, "scheme");
        requireNonNull(path, "path");
        requireNonNull(query, "query");
        headers = lowerCaseNames(headers);
    }

    /** As {@link #parse(String, Map)} with no headers. */
    public static SimpleRequest parse(String request) {
        return parse(request, Map.of());
    }

    /**
     * Parses a request written as {@code [METHOD] scheme://authority[/path][?query]}, such as
     * {@code GET http://api.mystore.com:8080/orders?x=1}. The method defaults to {@code GET}, the path to {@code /},
     * and the port, when the authority has none, to 80 for {@code http} and 443 for {@code https}.
     *
     * @throws IllegalArgumentException if the request is not of that form
     */
    public static SimpleRequest parse(String request, Map<String, String> headers) {
        String trimmed = request.strip();
        int space = trimmed.indexOf(' ');
        String method = space < 0 ? "GET" : trimmed.substring(0, space);
        String url = space < 0 ? trimmed : trimmed.substring(space + 1).strip();
        int schemeEnd = url.indexOf("://");
        if (schemeEnd <= 0) {
            throw invalid(request);
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        int authorityStart = schemeEnd + 3;
        int authorityEnd = indexOfAny(url, "/?#", authorityStart);
        String authority = url.substring(authorityStart, authorityEnd);
        int queryStart = indexOfAny(url, "?#", authorityEnd);
        int fragment = indexOfAny(url, "#", authorityEnd);
        String path = url.substring(authorityEnd, queryStart);
        String query = queryStart < fragment ? url.substring(queryStart + 1, fragment) : "";
        return new SimpleRequest(port(authority, scheme, request), authority, method, scheme,
                path.isEmpty() ? "/" : path, query, headers);
    }

    @Override
    public @Nullable String header(String name) {
        return headers.get(name);
    }

    private static int port(String authority, String scheme, String request) {
        int hostEnd = HostIndex.hostEnd(authority);
        if (hostEnd < authority.length() && authority.charAt(hostEnd) == ':') {
            try {
                return Integer.parseInt(authority.substring(hostEnd + 1));
            } catch (NumberFormatException e) {
                throw invalid(request);
            }
        }
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> throw invalid(request);
        };
    }

    private static int indexOfAny(String s, String characters, int from) {
        for (int i = from; i < s.length(); i++) {
            if (characters.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    private static Map<String, String> lowerCaseNames(Map<String, String> headers) {
        Map<String, String> lowerCase = new LinkedHashMap<>();
        headers.forEach((name, value) -> lowerCase.merge(name.toLowerCase(Locale.ROOT), requireNonNull(value, name),
                (first, second) -> first + "," + second));
        return Map.copyOf(lowerCase);
    }

    private static IllegalArgumentException invalid(String request) {
        return new IllegalArgumentException(
                "request: " + request + " (expected: [METHOD] http[s]://host[:port][/path][?query])");
    }
}
