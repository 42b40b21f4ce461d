package io.meshgate.gateway.lb;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The parts of a request that a consistent-hash key can come from. */
public interface HashRequest {

    /** The values of a header, case-insensitively by name, in request order; empty when absent. */
    List<String> headerValues(String name);

    /** The value of a request cookie, or {@code null} when absent. */
    @Nullable String cookie(String name);

    /** The first value of a query parameter (empty when given without one), or {@code null} when absent. */
    @Nullable String queryParameter(String name);

    /** The client's IP address, without a port, or {@code null} when unknown. */
    @Nullable String sourceAddress();

    /**
     * The downstream connection's remote and local socket addresses, as one string, or {@code null} when unknown.
     * Requests on the same connection give the same string.
     */
    @Nullable String connectionAddresses();
}
