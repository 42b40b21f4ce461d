package io.meshgate.translator.translate;

import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One part of each VirtualService as compiled by the previous translation, reused while the VirtualService and
 * every destination host it asked about ({@link DestinationHosts}) are as they were. A reused compilation replays
 * what compiling did besides its result, the diagnostics it reported and the clusters it asked for, so that a
 * translation which reuses it is the translation which compiles everything anew.
 *
 * <p>Resources are taken as immutable once loaded, as informer caches and the loader hand them out: the same
 * object is the same resource; another object is compared by content.
 *
 * @param <T> what compiling gives
 */
final class CompileCache<T> {

    /** What one translation's compilations report to and record from. */
    record Context(Reporter reporter, ClusterCollector clusters, DestinationHosts hosts) {
    }

    /** One compilation, with all it depended on and did. */
    private record Compilation<T>(VirtualService resource, T output, List<Diagnostic> diagnostics,
            List<ClusterCollector.Request> clusters, Map<String, HostFacts> hosts) {
    }

    private Map<SourceRef, Compilation<T>> previous = Map.of();
    private Map<SourceRef, Compilation<T>> current = new HashMap<>();

    /** Begins a translation: compilations not used in it are forgotten at {@link #endTranslation()}. */
    void beginTranslation() {
        current = new HashMap<>(Math.max(16, previous.size() * 2));
    }

    void endTranslation() {
        previous = current;
        current = new HashMap<>();
    }

    /** The compiled form of {@code vs}: the earlier one when still valid, else {@code compiler}'s. */
    T compile(Loaded<VirtualService> vs, Function<Loaded<VirtualService>, T> compiler, Context context) {
        Compilation<T> earlier = previous.get(vs.ref());
        if (earlier != null && sameResource(earlier.resource(), vs.resource())
                && context.hosts().unchanged(earlier.hosts())) {
            context.reporter().replay(earlier.diagnostics());
            earlier.clusters().forEach(context.clusters()::ask);
            current.put(vs.ref(), earlier);
            return earlier.output();
        }
        int diagnostics = context.reporter().count();
        int clusters = context.clusters().requestCount();
        context.hosts().startRecording();
        T output;
        Map<String, HostFacts> hosts;
        try {
            output = compiler.apply(vs);
        } finally {
            hosts = context.hosts().stopRecording();
        }
        current.put(vs.ref(), new Compilation<>(vs.resource(), output, context.reporter().since(diagnostics),
                context.clusters().requestedSince(clusters), hosts));
        return output;
    }

    private static boolean sameResource(VirtualService earlier, VirtualService now) {
        return earlier == now || earlier.equals(now);
    }
}
