package io.meshgate.translator.translate;

import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each VirtualService's http routes as bound by the previous translation ({@link HttpRouteBinder}), reused while its
 * compiled routes are the very ones bound then (the compilation was reused, so the VirtualService is as it was) and
 * the Gateway servers are as they were. A reused binding reports its diagnostics again.
 */
final class BindingCache {

    /** One binding, with the compiled routes it bound and the diagnostics it reported. */
    private record Binding(List<RuleCompiler.CompiledRoute> routes, List<Contribution> contributions,
            List<Diagnostic> diagnostics) {
    }

    private Map<SourceRef, Binding> previous = Map.of();
    private Map<SourceRef, Binding> current = new HashMap<>();

    void beginTranslation() {
        current = new HashMap<>(Math.max(16, previous.size() * 2));
    }

    void endTranslation() {
        previous = current;
        current = new HashMap<>();
    }

    /**
     * Where the compiled routes of {@code vs} go: the earlier binding when still valid, else {@code binder}'s.
     *
     * @param serversUnchanged whether the Gateway servers are those of the previous translation
     */
    List<Contribution> bind(Loaded<VirtualService> vs, List<RuleCompiler.CompiledRoute> routes,
            HttpRouteBinder binder, Reporter reporter, boolean serversUnchanged) {
        Binding earlier = previous.get(vs.ref());
        if (earlier != null && earlier.routes() == routes && serversUnchanged) {
            reporter.replay(earlier.diagnostics());
            current.put(vs.ref(), earlier);
            return earlier.contributions();
        }
        int diagnostics = reporter.count();
        List<Contribution> contributions = List.copyOf(binder.bind(vs, routes));
        current.put(vs.ref(), new Binding(routes, contributions, reporter.since(diagnostics)));
        return contributions;
    }
}
