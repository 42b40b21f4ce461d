package io.meshgate.gateway.runner;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceLoader;
import io.meshgate.translator.load.ResourceSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the config files one by one and keeps, for a file that now fails to load, the last good version of the
 * resources it no longer yields. A broken edit never takes a working route away; deleting a file does.
 */
final class LastGoodResources {

    private final Map<Path, Map<SourceRef, Loaded<?>>> lastGood = new HashMap<>();

    ResourceSet load(List<Path> files) {
        List<Loaded<?>> resources = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        Map<Path, Map<SourceRef, Loaded<?>>> next = new HashMap<>();
        for (Path file : files) {
            ResourceSet loaded = ResourceLoader.load(List.of(file));
            Map<SourceRef, Loaded<?>> kept = new LinkedHashMap<>();
            loaded.resources().forEach(r -> kept.put(r.ref(), r));
            boolean failed = loaded.diagnostics().stream().anyMatch(Diagnostic::isError);
            if (failed) {
                lastGood.getOrDefault(file, Map.of()).forEach(kept::putIfAbsent);
            }
            next.put(file, kept);
            resources.addAll(kept.values());
            diagnostics.addAll(loaded.diagnostics());
        }
        lastGood.clear();
        lastGood.putAll(next);
        return ResourceSet.of(resources, diagnostics);
    }
}
