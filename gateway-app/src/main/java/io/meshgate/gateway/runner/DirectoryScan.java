package io.meshgate.gateway.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One listing of the config directory: the stat of every YAML file in it, or why there is none. A directory that
 * is gone or cannot be listed is not an empty one: it says nothing of what the configuration should be.
 */
sealed interface DirectoryScan {

    /** The directory was listed: its {@code *.yaml} and {@code *.yml} files, sorted by path. */
    record Listed(Map<Path, FileStat> files) implements DirectoryScan {
        public Listed {
            files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        }
    }

    /** Neither a directory nor a file is there (moved away, or not mounted yet). */
    record Missing() implements DirectoryScan {
    }

    /** Listing or a stat failed: {@code Too many open files}, permissions, an I/O error. */
    record Unlistable(String error) implements DirectoryScan {
    }

    /** Lists {@code path}: a directory (recursively, without dot-files and dot-directories), or a single file. */
    static DirectoryScan of(Path path) {
        try {
            if (Files.isRegularFile(path)) {
                return FileStat.of(path).<DirectoryScan>map(s -> new Listed(Map.of(path, s))).orElse(new Missing());
            }
            if (!Files.isDirectory(path)) {
                return new Missing();
            }
            Map<Path, FileStat> files = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path file : (Iterable<Path>) walk::iterator) {
                    if (isConfigFile(path, file)) {
                        FileStat.of(file).ifPresent(s -> files.put(file, s));
                    }
                }
            }
            return new Listed(files);
        } catch (IOException | UncheckedIOException e) {
            return new Unlistable(e.toString());
        }
    }

    private static boolean isConfigFile(Path root, Path file) {
        if (!file.getFileName().toString().matches(".*\\.(yaml|yml)") || !Files.isRegularFile(file)) {
            return false;
        }
        // editors and Kubernetes ConfigMap mounts keep scratch copies in dot-directories (..data, .swp)
        for (Path part : root.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }
}
