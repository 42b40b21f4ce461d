package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

/**
 * The user resource, and the field inside it, that an IR element or a diagnostic comes from.
 *
 * @param kind the resource kind, such as {@code VirtualService}
 * @param namespace the resource namespace
 * @param name the resource name
 * @param fieldPath a full field path such as {@code spec.http[2]}, or empty for the whole resource
 */
public record SourceRef(String kind, String namespace, String name, String fieldPath) {
    public SourceRef {
        requireNonNull(kind, "kind");
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        requireNonNull(fieldPath, "fieldPath");
    }

    public static SourceRef of(String kind, String namespace, String name) {
        return new SourceRef(kind, namespace, name, "");
    }

    public SourceRef at(String path) {
        return new SourceRef(kind, namespace, name, path);
    }

    /** {@code Kind namespace/name}, as {@code istioctl analyze} prints a resource. */
    public String display() {
        return namespace.isEmpty() ? kind + " " + name : kind + " " + namespace + "/" + name;
    }

    @Override
    public String toString() {
        return fieldPath.isEmpty() ? display() : display() + " " + fieldPath;
    }
}
