package io.meshgate.translator.load;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.meshgate.translator.diag.SourceLocation;
import io.meshgate.translator.ir.SourceRef;
import java.util.Optional;

/**
 * One resource as loaded, with where it came from.
 *
 * @param kind what it is
 * @param resource the fabric8 model object
 * @param ref its kind, namespace and name
 * @param positions the line of each of its fields, or {@link SourcePositions#NONE} when it did not come from a file
 * @param seedFields the seed's non-Istio DestinationRule fields it carried, if any
 */
public record Loaded<T extends HasMetadata>(ResourceKind kind, T resource, SourceRef ref, SourcePositions positions,
        SeedFields seedFields) {
    public Loaded {
        requireNonNull(kind, "kind");
        requireNonNull(resource, "resource");
        requireNonNull(ref, "ref");
        requireNonNull(positions, "positions");
        requireNonNull(seedFields, "seedFields");
    }

    /** The file and line of a field of this resource (the resource itself for an empty path), where known. */
    public Optional<SourceLocation> locate(String fieldPath) {
        if (positions.file().isEmpty()) {
            return Optional.empty();
        }
        return positions.lineOf(fieldPath).map(line -> new SourceLocation(positions.file(), line));
    }
}
