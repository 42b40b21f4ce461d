package io.meshgate.gateway.runner;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceLoader;
import io.meshgate.translator.load.ResourceSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the config files one by one and keeps, for a file that now fails to load, the last good version of the
 * resources it no longer yields. A broken edit never takes a working route away; deleting a file does. A file that
 * did not change since the last load is not read again.
 *
 * <p>A resource defined in two files keeps the definition the gateway saw first (unless creation timestamps say
 * otherwise, see {@link ResourceSet#of}): the file that defined the resource served until now stays its owner,
 * whatever the names of the files, so adding a copy under an earlier-sorting name takes nothing over.
 */
final class LastGoodResources {

    /** One file as last loaded, and the resources it stands for (its last good ones where it now fails). */
    private record FileLoad(FileObservation observed, ResourceSet loaded, Map<SourceRef, Loaded<?>> kept) {
    }

    private Map<Path, FileLoad> files = Map.of();
    private Map<SourceRef, String> owners = Map.of();

    ResourceSet load(Map<Path, FileObservation> observed) {
        List<Loaded<?>> resources = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        Map<Path, FileLoad> next = new HashMap<>();
        observed.forEach((file, observation) -> {
            FileLoad before = files.get(file);
            FileLoad load = before != null && before.observed().equals(observation) ? before
                    : load(file, observation, before);
            next.put(file, load);
            resources.addAll(load.kept().values());
            diagnostics.addAll(load.loaded().diagnostics());
        });
        files = next;
        // stable: the owner's definition first, then the others in path order
        resources.sort(Comparator.comparingInt(r -> r.positions().file().equals(owners.get(r.ref())) ? 0 : 1));
        ResourceSet set = ResourceSet.of(resources, diagnostics);
        Map<SourceRef, String> owned = new HashMap<>();
        set.resources().forEach(r -> owned.put(r.ref(), r.positions().file()));
        owners = owned;
        return set;
    }

    private static FileLoad load(Path file, FileObservation observation, FileLoad before) {
        ResourceSet loaded = ResourceLoader.load(List.of(file));
        Map<SourceRef, Loaded<?>> kept = new LinkedHashMap<>();
        loaded.resources().forEach(r -> kept.put(r.ref(), r));
        if (before != null && loaded.diagnostics().stream().anyMatch(Diagnostic::isError)) {
            before.kept().forEach(kept::putIfAbsent);
        }
        return new FileLoad(observation, loaded, kept);
    }
}
