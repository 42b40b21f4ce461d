package io.meshgate.translator.translate;

import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.SourceRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects the diagnostics of one translation. Not thread-safe: one per translation. */
final class Reporter {

    private final List<Diagnostic> diagnostics = new ArrayList<>();

    void report(Code code, SourceRef resource, String fieldPath, String message) {
        diagnostics.add(Diagnostic.of(code, resource, fieldPath, message));
    }

    void report(Code code, Level level, SourceRef resource, String fieldPath, String message) {
        diagnostics.add(new Diagnostic(code, level, resource.at(""), fieldPath, message, Optional.empty()));
    }

    /** Parses a duration field, reporting it when malformed. */
    Optional<Duration> duration(String text, SourceRef resource, String fieldPath) {
        Optional<Duration> parsed = DurationParser.parse(text);
        if (parsed.isEmpty()) {
            report(Code.SCHEMA_VALIDATION_ERROR, resource, fieldPath,
                    "\"" + text + "\" (expected: a duration such as 5s, 100ms or 1m30s)");
        }
        return parsed;
    }

    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** How many diagnostics were reported so far, to take those reported from now on with {@link #since}. */
    int count() {
        return diagnostics.size();
    }

    List<Diagnostic> since(int count) {
        return List.copyOf(diagnostics.subList(count, diagnostics.size()));
    }

    /** Reports again what an earlier translation reported. */
    void replay(List<Diagnostic> reported) {
        diagnostics.addAll(reported);
    }
}
