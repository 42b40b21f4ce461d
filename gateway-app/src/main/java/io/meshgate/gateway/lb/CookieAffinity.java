package io.meshgate.gateway.lb;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.LoadBalancer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The cookie the gateway sets for {@code consistentHash.httpCookie} with a {@code ttl} when a request comes without
 * it, as Envoy does: the request is hashed by the new cookie's value, and the response carries
 * {@code Set-Cookie: <name>=<value>; Path=<path>; Max-Age=<ttl seconds>; HttpOnly}, so that the client's next
 * requests hash the same and reach the same endpoint.
 *
 * <p>The value is Envoy's: the xxHash64 of the downstream connection's addresses, as 16 hex digits. Requests racing
 * on one connection before the cookie arrives thus get the same cookie and the same endpoint; when the addresses are
 * unknown the value is random. {@code Path} is left out without a path, and {@code Max-Age} when the ttl is under a
 * second, which makes a session cookie (Envoy: a zero ttl).
 */
public final class CookieAffinity {

    private final String name;
    private final Optional<String> path;
    private final Duration ttl;

    private CookieAffinity(String name, Optional<String> path, Duration ttl) {
        this.name = name;
        this.path = path;
        this.ttl = ttl;
    }

    /** The cookie affinity of the given settings: present for an {@code httpCookie} key with a {@code ttl}. */
    public static Optional<CookieAffinity> of(LoadBalancer.ConsistentHash settings) {
        if (!"httpCookie".equals(settings.key())) {
            return Optional.empty();
        }
        return settings.cookieTtl().map(ttl -> new CookieAffinity(settings.name(),
                settings.cookiePath().filter(path -> !path.isEmpty()), ttl));
    }

    /** A new cookie for a request that came without one; call it when {@link HashKey} finds no key. */
    public Cookie generate(HashRequest request) {
        String addresses = request.connectionAddresses();
        long seed = addresses == null ? ThreadLocalRandom.current().nextLong() : XxHash64.hash(addresses);
        String value = HexFormat.of().toHexDigits(seed);
        return new Cookie(XxHash64.hash(value), value, setCookie(value));
    }

    private String setCookie(String value) {
        StringBuilder header = new StringBuilder(name).append('=').append(value);
        path.ifPresent(p -> header.append("; Path=").append(p));
        if (ttl.getSeconds() > 0) {
            header.append("; Max-Age=").append(ttl.getSeconds());
        }
        return header.append("; HttpOnly").toString();
    }

    /**
     * A generated cookie.
     *
     * @param key the request's hash, as {@link HashKey} computes it for a request that carries the cookie
     * @param value the cookie's value
     * @param setCookie the value of the {@code Set-Cookie} header the response must carry
     */
    public record Cookie(long key, String value, String setCookie) {
        public Cookie {
            requireNonNull(value, "value");
            requireNonNull(setCookie, "setCookie");
        }
    }
}
