package io.meshgate.translator.translate;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.Snapshot;
import java.util.List;

/**
 * A snapshot and everything found wrong on the way to it, loading included, in {@link Diagnostic#ORDER}.
 */
public record TranslationResult(Snapshot snapshot, List<Diagnostic> diagnostics) {
    public TranslationResult {
        requireNonNull(snapshot, "snapshot");
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
