package io.meshgate.translator.load;

import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.SourceLocation;
import io.meshgate.translator.ir.SourceRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads YAML files and directories (recursively, {@code *.yaml} and {@code *.yml}) into a {@link ResourceSet}. Bad
 * input never throws: every problem becomes a diagnostic and only the document or resource concerned is lost.
 */
public final class ResourceLoader {

    private ResourceLoader() {
    }

    /** Loads every file and directory given, in order; directories are read recursively, sorted by path. */
    public static ResourceSet load(List<Path> paths) {
        List<Loaded<?>> resources = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (Path path : paths) {
            for (Path file : filesOf(path, diagnostics)) {
                read(file, diagnostics).ifPresent(text -> {
                    DocumentReader.Output out = DocumentReader.read(file.toString(), text);
                    resources.addAll(out.resources());
                    diagnostics.addAll(out.diagnostics());
                });
            }
        }
        return assemble(resources, diagnostics);
    }

    /** Loads YAML text as if it were the file {@code fileName}. */
    public static ResourceSet loadText(String fileName, String text) {
        DocumentReader.Output out = DocumentReader.read(fileName, text);
        return assemble(new ArrayList<>(out.resources()), new ArrayList<>(out.diagnostics()));
    }

    /**
     * Keeps one definition of each kind, namespace and name, and sorts by kind, namespace and name. Of two
     * definitions the older is kept: by {@code metadata.creationTimestamp} when both have one, else the one given
     * first (callers list what they saw first first); the other is an Error that names both.
     */
    static ResourceSet assemble(List<Loaded<?>> resources, List<Diagnostic> diagnostics) {
        Map<SourceRef, Loaded<?>> kept = new LinkedHashMap<>();
        for (Loaded<?> loaded : resources) {
            Loaded<?> earlier = kept.get(loaded.ref());
            if (earlier == null) {
                kept.put(loaded.ref(), loaded);
                continue;
            }
            boolean newer = createdBefore(loaded, earlier);
            Loaded<?> older = newer ? loaded : earlier;
            Loaded<?> dropped = newer ? earlier : loaded;
            kept.put(loaded.ref(), older);
            String where = older.locate("").map(SourceLocation::toString).orElse("another source");
            diagnostics.add(Diagnostic.of(Code.DUPLICATE_RESOURCE, dropped.ref(), "",
                    "defined again; ignored, the older definition (" + where + ") is kept")
                    .withLocation(dropped.locate("")));
        }
        List<Loaded<?>> sorted = new ArrayList<>(kept.values());
        sorted.sort(Comparator.comparing((Loaded<?> l) -> l.kind().ordinal())
                .thenComparing(l -> l.ref().namespace())
                .thenComparing(l -> l.ref().name()));
        return new ResourceSet(sorted, diagnostics);
    }

    /** Whether both have a creation timestamp and {@code a}'s is the earlier one. */
    private static boolean createdBefore(Loaded<?> a, Loaded<?> b) {
        Optional<Instant> createdA = created(a);
        Optional<Instant> createdB = created(b);
        return createdA.isPresent() && createdB.isPresent() && createdA.get().isBefore(createdB.get());
    }

    private static Optional<Instant> created(Loaded<?> loaded) {
        String timestamp = loaded.resource().getMetadata().getCreationTimestamp();
        if (timestamp == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(timestamp).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static List<Path> filesOf(Path path, List<Diagnostic> diagnostics) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            diagnostics.add(fileProblem(path, "no such file or directory"));
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches(".*\\.(yaml|yml)"))
                    .filter(p -> !isHidden(path.relativize(p)))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            diagnostics.add(fileProblem(path, "cannot list directory: " + e.getMessage()));
            return List.of();
        }
    }

    private static boolean isHidden(Path relative) {
        // editors and Kubernetes ConfigMap mounts keep scratch copies in dot-directories (..data, .swp)
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> read(Path file, List<Diagnostic> diagnostics) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            diagnostics.add(fileProblem(file, "not UTF-8 text"));
        } catch (IOException e) {
            diagnostics.add(fileProblem(file, "cannot read: " + e.getMessage()));
        }
        return Optional.empty();
    }

    static Diagnostic fileProblem(Path file, String message) {
        return Diagnostic.of(Code.YAML_SYNTAX_ERROR, SourceRef.of("File", "", file.toString()), "", message);
    }
}
