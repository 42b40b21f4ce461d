package io.meshgate.gateway.lb;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A relayed TCP connection as a {@link HashRequest}: its client's address is all it has, so of the
 * {@code consistentHash} keys only {@code useSourceIp} applies (as for Envoy's TCP proxy); the others find no key.
 *
 * @param sourceAddress the client's IP address, without a port, or {@code null} when unknown
 */
public record ConnectionHashRequest(@Nullable String sourceAddress) implements HashRequest {

    @Override
    public List<String> headerValues(String name) {
        return List.of();
    }

    @Override
    public @Nullable String cookie(String name) {
        return null;
    }

    @Override
    public @Nullable String queryParameter(String name) {
        return null;
    }

    @Override
    public @Nullable String connectionAddresses() {
        return null;
    }
}
