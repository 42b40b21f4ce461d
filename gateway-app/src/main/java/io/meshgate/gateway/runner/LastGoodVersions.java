package io.meshgate.gateway.runner;

import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceSet;
import io.meshgate.translator.translate.TranslationResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Keeps, per resource, the version last applied without Error-level findings, and serves it instead of a new
 * version that has some, as Istio's validating webhook refuses such a change and the previous object stays. The
 * findings count from loading and from translation alike, so it holds for every source (files and the API server),
 * and for a resource that failed to load at all. A resource seen for the first time with errors has no earlier
 * version: it applies as far as it can, each broken element degraded by the translator.
 *
 * <p>A translation with a new version reveals its errors; the last good versions of the resources that have some
 * are put back and the set is translated again, until no changed resource has errors (a version put back can make
 * another changed resource fail, as a Gateway put back leaves a new host unbound). Each resource is put back at most
 * once, so this ends; the incremental translator makes the extra rounds cost what changed. The diagnostics report
 * the rejected versions' findings, and for each a {@link Code#CHANGE_REJECTED} saying the last good one serves.
 */
final class LastGoodVersions {

    /** Rounds of putting versions back; each round only follows a cascade one step further. */
    private static final int MAX_ROUNDS = 8;

    /**
     * A translation with the rejected changes left out.
     *
     * @param result the translation of what serves
     * @param diagnostics its diagnostics, where a rejected resource's are those of its rejected version
     * @param rejected the resources whose last good version serves instead of the version given
     */
    record Gated(TranslationResult result, List<Diagnostic> diagnostics, List<SourceRef> rejected) {
        Gated {
            diagnostics = List.copyOf(diagnostics);
            rejected = List.copyOf(rejected);
        }
    }

    private Map<SourceRef, Loaded<?>> good = Map.of();

    Gated translate(ResourceSet in, Function<ResourceSet, TranslationResult> translator) {
        Map<SourceRef, Loaded<?>> chosen = new LinkedHashMap<>();
        in.resources().forEach(r -> chosen.put(r.ref(), r));
        TranslationResult result = translator.apply(in);
        Map<SourceRef, List<Diagnostic>> rejected = new LinkedHashMap<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<SourceRef> restore = new ArrayList<>();
            for (SourceRef ref : withErrors(result.diagnostics())) {
                Loaded<?> last = good.get(ref);
                if (last != null && !rejected.containsKey(ref) && !last.equals(chosen.get(ref))) {
                    restore.add(ref);
                }
            }
            if (restore.isEmpty()) {
                break;
            }
            for (SourceRef ref : restore) {
                rejected.put(ref, of(result.diagnostics(), ref));
                chosen.put(ref, good.get(ref));
            }
            result = translator.apply(ResourceSet.of(new ArrayList<>(chosen.values()), in.diagnostics()));
        }
        remember(chosen, result);
        return new Gated(result, diagnostics(result, rejected), List.copyOf(rejected.keySet()));
    }

    private void remember(Map<SourceRef, Loaded<?>> chosen, TranslationResult result) {
        Set<SourceRef> failing = withErrors(result.diagnostics());
        Map<SourceRef, Loaded<?>> next = new HashMap<>();
        chosen.forEach((ref, version) -> {
            Loaded<?> last = failing.contains(ref) ? good.get(ref) : version;
            if (last != null) {
                next.put(ref, last);
            }
        });
        good = next;
    }

    private static List<Diagnostic> diagnostics(TranslationResult result, Map<SourceRef, List<Diagnostic>> rejected) {
        List<Diagnostic> out = new ArrayList<>();
        result.diagnostics().stream().filter(d -> !rejected.containsKey(d.resource())).forEach(out::add);
        rejected.forEach((ref, found) -> {
            out.addAll(found);
            out.add(Diagnostic.of(Code.CHANGE_REJECTED, ref, "", "this version has errors and is not applied; "
                    + "the last good version keeps serving until they are fixed"));
        });
        out.sort(Diagnostic.ORDER);
        return out;
    }

    /**
     * The resources an Error-level finding is about. A duplicate definition is about the copy left out, not the
     * definition kept, and a file that cannot be read or parsed names no resource (the file's last good resources
     * are kept by {@link LastGoodResources}).
     */
    private static Set<SourceRef> withErrors(List<Diagnostic> diagnostics) {
        Set<SourceRef> refs = new LinkedHashSet<>();
        for (Diagnostic d : diagnostics) {
            if (d.isError() && d.code() != Code.DUPLICATE_RESOURCE && !d.resource().kind().equals("File")) {
                refs.add(d.resource());
            }
        }
        return refs;
    }

    private static List<Diagnostic> of(List<Diagnostic> diagnostics, SourceRef ref) {
        return diagnostics.stream().filter(d -> d.resource().equals(ref)).toList();
    }
}
