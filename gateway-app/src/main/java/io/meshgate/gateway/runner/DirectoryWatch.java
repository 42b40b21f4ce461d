package io.meshgate.gateway.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides, poll by poll, whether the config directory is to be applied. Cheap when nothing changes: one listing
 * and one stat per file; a file's content is read only when its stat changed or it was modified within the recent
 * change window. A change is applied once the whole directory has looked the same for the file settle time, so a
 * file being written is never read half-way (unless its writer pauses longer than that). A directory that is
 * missing, cannot be listed or was emptied is never applied as an empty configuration, except an emptied one that
 * stays empty and listable for the empty settle time. Not thread-safe: the runner polls from one thread.
 */
final class DirectoryWatch {

    /** What a poll decided. */
    sealed interface Step {
        /** Apply these files (sorted by path); then report {@link #applied}. */
        record Apply(Map<Path, FileObservation> files) implements Step {
        }

        /** Nothing to apply now; the status says why. */
        record Wait(DirectoryStatus status) implements Step {
        }
    }

    private final Path directory;
    private final ConfigWatchProperties settings;
    private Map<Path, FileObservation> applied = Map.of();
    private boolean started;
    private Map<Path, FileObservation> seen;
    private Instant seenSince = Instant.EPOCH;
    private DirectoryStatus status = DirectoryStatus.current(Instant.now());

    DirectoryWatch(Path directory, ConfigWatchProperties settings) {
        this.directory = directory;
        this.settings = settings;
    }

    DirectoryStatus status() {
        return status;
    }

    Step poll(Instant now) {
        boolean first = !started;
        started = true;
        DirectoryScan scan = DirectoryScan.of(directory);
        if (scan instanceof DirectoryScan.Missing) {
            seen = null;
            return hold(DirectoryStatus.Condition.MISSING, directory + ": no such file or directory", now);
        }
        if (scan instanceof DirectoryScan.Unlistable unlistable) {
            seen = null;
            return hold(DirectoryStatus.Condition.UNLISTABLE, directory + ": " + unlistable.error(), now);
        }
        Map<Path, FileObservation> observed = observe(((DirectoryScan.Listed) scan).files(), now);
        if (!observed.equals(seen)) {
            seen = observed;
            seenSince = now;
        }
        if (first) {
            // nothing serves yet: the directory as it is now beats waiting
            return new Step.Apply(observed);
        }
        if (observed.equals(applied)) {
            if (status.condition() != DirectoryStatus.Condition.CURRENT) {
                status = DirectoryStatus.current(now);
            }
            return new Step.Wait(status);
        }
        if (observed.isEmpty()) {
            Instant at = seenSince.plus(settings.emptySettleTime());
            if (at.isAfter(now)) {
                return wait(DirectoryStatus.Condition.EMPTY, "no config file in " + directory
                        + "; the last configuration serves until the directory has stayed empty for "
                        + settings.emptySettleTime(), Optional.of(at), now);
            }
            return new Step.Apply(observed);
        }
        if (seenSince.plus(settings.fileSettleTime()).isAfter(now)) {
            return wait(DirectoryStatus.Condition.SETTLING, "files changed; read once unchanged for "
                    + settings.fileSettleTime(), Optional.empty(), now);
        }
        return new Step.Apply(observed);
    }

    /** The files of an {@link Step.Apply} are now the configuration served. */
    void applied(Map<Path, FileObservation> files, Instant now) {
        applied = Map.copyOf(files);
        status = DirectoryStatus.current(now);
    }

    private Step hold(DirectoryStatus.Condition condition, String detail, Instant now) {
        return wait(condition, detail + "; the last configuration serves", Optional.empty(), now);
    }

    private Step wait(DirectoryStatus.Condition condition, String detail, Optional<Instant> appliesAt, Instant now) {
        Instant since = status.condition() == condition ? status.since() : now;
        status = new DirectoryStatus(condition, since, detail, pending(), appliesAt);
        return new Step.Wait(status);
    }

    /** The files that differ between what is applied and what the last listing saw. */
    private List<String> pending() {
        if (seen == null) {
            return List.of();
        }
        TreeSet<Path> paths = new TreeSet<>(applied.keySet());
        paths.addAll(seen.keySet());
        return paths.stream().filter(p -> !Objects.equals(applied.get(p), seen.get(p)))
                .map(Path::toString).toList();
    }

    private Map<Path, FileObservation> observe(Map<Path, FileStat> files, Instant now) {
        Map<Path, FileObservation> observed = new TreeMap<>();
        Duration window = settings.recentChangeWindow();
        files.forEach((path, stat) -> {
            FileObservation before = seen != null ? seen.get(path) : applied.get(path);
            boolean same = before != null && before.stat().equals(stat)
                    && before.checksum() != FileObservation.UNREADABLE && !stat.recent(now, window);
            observed.put(path, same ? before : FileObservation.read(path, stat));
        });
        return observed;
    }
}
