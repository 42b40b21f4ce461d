package io.meshgate.gateway.runner;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.match.RouteMatcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The configuration requests are served with: one snapshot, its matcher and clusters, swapped as a whole.
 *
 * @param generation counts applied configurations, from 1
 * @param appliedAt when it was applied
 * @param diagnostics everything found wrong in the files it came from
 */
public record LiveConfig(long generation, Instant appliedAt, Snapshot snapshot, RouteMatcher matcher,
        Map<String, Cluster> clusters, List<Diagnostic> diagnostics) {

    public LiveConfig {
        requireNonNull(appliedAt, "appliedAt");
        requireNonNull(snapshot, "snapshot");
        requireNonNull(matcher, "matcher");
        clusters = Map.copyOf(clusters);
        diagnostics = List.copyOf(diagnostics);
    }

    public static LiveConfig of(long generation, Snapshot snapshot, List<Diagnostic> diagnostics) {
        Map<String, Cluster> clusters = snapshot.clusters().stream()
                .collect(Collectors.toMap(Cluster::name, Function.identity()));
        return new LiveConfig(generation, Instant.now(), snapshot, RouteMatcher.of(snapshot), clusters, diagnostics);
    }

    public Optional<Cluster> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }
}
