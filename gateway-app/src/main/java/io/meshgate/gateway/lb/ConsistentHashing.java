package io.meshgate.gateway.lb;

import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.LoadBalancer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A cluster's {@code consistentHash} policy at work: the request's key ({@link HashKey}; a generated cookie when the
 * policy issues one), looked up in a ring or Maglev table over the endpoints that may serve ({@link HashSelector},
 * built again only when they change). A request without a key, or a retry whose keyed endpoint was already tried,
 * goes to a random endpoint, as Envoy picks one without a hash.
 */
final class ConsistentHashing {

    private record Table(List<Endpoint> endpoints, HashSelector selector) {
    }

    private final LoadBalancer.ConsistentHash settings;
    private final HashKey key;
    private final Optional<CookieAffinity> cookie;
    private volatile Table table;

    ConsistentHashing(LoadBalancer.ConsistentHash settings) {
        this.settings = settings;
        this.key = HashKey.of(settings);
        this.cookie = CookieAffinity.of(settings);
    }

    LoadBalancer.ConsistentHash settings() {
        return settings;
    }

    /**
     * The endpoint for a request among {@code candidates} (not empty).
     *
     * @param setCookie receives the {@code Set-Cookie} header value when a cookie is issued for the request;
     *     {@code null} where no cookie can be issued (a mirrored request, a relayed connection)
     */
    Endpoint pick(List<Endpoint> candidates, HashRequest request, Set<String> avoid,
            @Nullable Consumer<String> setCookie) {
        OptionalLong hash = key.compute(request);
        if (hash.isEmpty() && cookie.isPresent() && setCookie != null) {
            CookieAffinity.Cookie issued = cookie.get().generate(request);
            setCookie.accept(issued.setCookie());
            hash = OptionalLong.of(issued.key());
        }
        if (hash.isPresent()) {
            Endpoint chosen = selector(candidates).select(hash.getAsLong());
            if (!avoid.contains(Balancers.hostPort(chosen))) {
                return chosen;
            }
            List<Endpoint> others = candidates.stream().filter(e -> !avoid.contains(Balancers.hostPort(e))).toList();
            if (others.isEmpty()) {
                return chosen;
            }
            candidates = others;
        }
        return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    }

    private HashSelector selector(List<Endpoint> candidates) {
        Table current = table;
        if (current == null || !current.endpoints().equals(candidates)) {
            current = new Table(List.copyOf(candidates), HashSelector.of(settings, candidates));
            table = current;
        }
        return current.selector();
    }
}
