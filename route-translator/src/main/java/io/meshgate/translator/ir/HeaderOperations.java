package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Istio's {@code HeaderOperations}, in the order they apply: set (replace), add (append), remove.
 *
 * @param set headers to overwrite, sorted by name
 * @param add headers to append, sorted by name
 * @param remove header names to remove, as written
 */
public record HeaderOperations(List<Header> set, List<Header> add, List<String> remove) {
    public static final HeaderOperations NONE = new HeaderOperations(List.of(), List.of(), List.of());

    public HeaderOperations {
        set = List.copyOf(set);
        add = List.copyOf(add);
        remove = List.copyOf(remove);
    }

    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }

    /** One header name and value. */
    public record Header(String name, String value) {
        public Header {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
        }
    }
}
