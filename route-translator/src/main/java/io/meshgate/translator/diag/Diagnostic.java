package io.meshgate.translator.diag;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.SourceRef;
import java.util.Comparator;
import java.util.Optional;

/**
 * One problem found in user configuration.
 *
 * @param code what kind of problem
 * @param level how serious (usually {@code code.level()})
 * @param resource the resource it is about, with an empty field path
 * @param fieldPath the full path of the offending field, such as {@code spec.http[2].route[0].destination.host}, or
 *     empty for the whole resource
 * @param message what is wrong, in the form {@code <field>: <value> (expected: <constraint>)} or a sentence
 * @param location the file and line, where known
 */
public record Diagnostic(Code code, Level level, SourceRef resource, String fieldPath, String message,
        Optional<SourceLocation> location) {

    /** Errors first, then by resource, field path, code and message: the stable order for output and tests. */
    public static final Comparator<Diagnostic> ORDER = Comparator.comparing(Diagnostic::level)
            .thenComparing(d -> d.resource().kind())
            .thenComparing(d -> d.resource().namespace())
            .thenComparing(d -> d.resource().name())
            .thenComparing(Diagnostic::fieldPath)
            .thenComparing(d -> d.code().id())
            .thenComparing(Diagnostic::message);

    public Diagnostic {
        requireNonNull(code, "code");
        requireNonNull(level, "level");
        requireNonNull(resource, "resource");
        requireNonNull(fieldPath, "fieldPath");
        requireNonNull(message, "message");
        requireNonNull(location, "location");
    }

    public static Diagnostic of(Code code, SourceRef resource, String fieldPath, String message) {
        return new Diagnostic(code, code.level(), resource.at(""), fieldPath, message, Optional.empty());
    }

    public Diagnostic withLocation(Optional<SourceLocation> where) {
        return new Diagnostic(code, level, resource, fieldPath, message, where);
    }

    public boolean isError() {
        return level == Level.ERROR;
    }

    /**
     * As {@code istioctl analyze} prints it: {@code Error [GW0101] VirtualService default/orders:
     * spec.http[0].route[0].destination.host: ... (orders.yaml:12)}.
     */
    public String format() {
        StringBuilder out = new StringBuilder()
                .append(level.label()).append(" [").append(code.id()).append("] ").append(resource.display())
                .append(": ");
        if (!fieldPath.isEmpty()) {
            out.append(fieldPath).append(": ");
        }
        out.append(message);
        location.ifPresent(where -> out.append(" (").append(where).append(')'));
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
