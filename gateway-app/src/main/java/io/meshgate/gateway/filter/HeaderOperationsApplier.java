package io.meshgate.gateway.filter;

import io.meshgate.translator.ir.HeaderOperations;
import org.springframework.http.HttpHeaders;

/** Applies Istio header operations in Envoy's order: set, then add, then remove. */
final class HeaderOperationsApplier {

    private HeaderOperationsApplier() {
    }

    static void apply(HeaderOperations operations, HttpHeaders headers) {
        operations.set().forEach(h -> headers.set(h.name(), h.value()));
        operations.add().forEach(h -> headers.add(h.name(), h.value()));
        operations.remove().forEach(headers::remove);
    }
}
