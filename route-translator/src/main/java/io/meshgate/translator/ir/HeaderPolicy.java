package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

/** Istio's {@code Headers}: operations on the request (towards the backend) and on the response. */
public record HeaderPolicy(HeaderOperations request, HeaderOperations response) {
    public static final HeaderPolicy NONE = new HeaderPolicy(HeaderOperations.NONE, HeaderOperations.NONE);

    public HeaderPolicy {
        requireNonNull(request, "request");
        requireNonNull(response, "response");
    }

    public boolean isEmpty() {
        return request.isEmpty() && response.isEmpty();
    }
}
