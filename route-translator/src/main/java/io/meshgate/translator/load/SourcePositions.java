package io.meshgate.translator.load;

import java.util.Map;
import java.util.Optional;

/**
 * The line each field of one resource was written on, keyed by full field path ({@code spec.http[0].route}).
 *
 * @param file the file the resource came from
 * @param lines field path to 1-based line; the empty path is the resource itself
 */
public record SourcePositions(String file, Map<String, Integer> lines) {
    public static final SourcePositions NONE = new SourcePositions("", Map.of());

    public SourcePositions {
        lines = Map.copyOf(lines);
    }

    /** The line of the field, or of its closest enclosing field that has one. */
    public Optional<Integer> lineOf(String fieldPath) {
        String path = fieldPath;
        while (true) {
            Integer line = lines.get(path);
            if (line != null) {
                return Optional.of(line);
            }
            if (path.isEmpty()) {
                return Optional.empty();
            }
            path = parentOf(path);
        }
    }

    private static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
