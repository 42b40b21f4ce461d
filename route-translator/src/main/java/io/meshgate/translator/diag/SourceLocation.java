package io.meshgate.translator.diag;

import static java.util.Objects.requireNonNull;

/**
 * Where in a file a resource or field was written.
 *
 * @param file the file as it was given (relative paths stay relative)
 * @param line the 1-based line number
 */
public record SourceLocation(String file, int line) {
    public SourceLocation {
        requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
