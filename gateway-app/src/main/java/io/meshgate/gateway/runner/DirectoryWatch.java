package io.meshgate.gateway.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides, poll by poll, whether the config directory is to be applied. Cheap when nothing changes: one listing
 * and one stat per file; a file's content is read only when its stat changed or it was modified within the recent
 * change window. Each file settles on its own ({@link SettleClocks}): a change is applied once no changed file is
 * still within its settle time, so a file being written is never read half-way (unless its writer pauses longer
 * than that) and files copied together apply together; a file that keeps changing past the settle limit is left
 * at its last applied version and holds nothing else back. A directory that is missing, cannot be listed or was
 * emptied is never applied as an empty configuration, except an emptied one that stays empty and listable for the
 * empty settle time. Not thread-safe: the runner polls from one thread.
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
    private final SettleClocks clocks;
    private Map<Path, FileObservation> applied = Map.of();
    private boolean started;
    /** The last listing, or null when the last poll could not list the directory. */
    private Map<Path, FileObservation> seen;
    /** Since when the listings have found no file; null when the last one found some. */
    private Instant emptySince;
    private List<String> unsettled = List.of();
    private DirectoryStatus status = DirectoryStatus.current(Instant.now());

    DirectoryWatch(Path directory, ConfigWatchProperties settings) {
        this.directory = directory;
        this.settings = settings;
        this.clocks = new SettleClocks(settings);
    }

    DirectoryStatus status() {
        return status;
    }

    Step poll(Instant now) {
        boolean first = !started;
        started = true;
        DirectoryScan scan = DirectoryScan.of(directory);
        if (scan instanceof DirectoryScan.Missing) {
            return hold(DirectoryStatus.Condition.MISSING, directory + ": no such file or directory", now);
        }
        if (scan instanceof DirectoryScan.Unlistable unlistable) {
            return hold(DirectoryStatus.Condition.UNLISTABLE, directory + ": " + unlistable.error(), now);
        }
        Map<Path, FileObservation> observed = observe(((DirectoryScan.Listed) scan).files(), now);
        clocks.observed(observed, applied, now, first);
        seen = observed;
        emptySince = !observed.isEmpty() ? null : emptySince != null ? emptySince : now;
        if (observed.equals(applied)) {
            unsettled = List.of();
            if (first) {
                return new Step.Apply(observed);
            }
            if (status.condition() != DirectoryStatus.Condition.CURRENT) {
                status = DirectoryStatus.current(now);
            }
            return new Step.Wait(status);
        }
        if (observed.isEmpty() && !first) {
            unsettled = List.of();
            Instant at = emptySince.plus(settings.emptySettleTime());
            if (at.isAfter(now)) {
                return wait(DirectoryStatus.Condition.EMPTY, "no config file in " + directory
                        + "; the last configuration serves until the directory has stayed empty for "
                        + settings.emptySettleTime(), Optional.of(at), now);
            }
            return new Step.Apply(observed);
        }
        return settle(observed, now);
    }

    /** The files of an {@link Step.Apply} are now the configuration served. */
    void applied(Map<Path, FileObservation> files, Instant now) {
        applied = Map.copyOf(files);
        status = unsettled.isEmpty() ? DirectoryStatus.current(now) : new DirectoryStatus(
                DirectoryStatus.Condition.UNSETTLED, now, unsettledDetail(), pending(), unsettled, Optional.empty());
    }

    /**
     * The settled changes, applied over what serves, once no changed file is within its settle time; a file
     * changing for longer than the settle limit keeps its applied version (or stays out, never applied).
     */
    private Step settle(Map<Path, FileObservation> observed, Instant now) {
        Map<Path, FileObservation> next = new TreeMap<>(applied);
        boolean settling = false;
        boolean settled = false;
        List<String> late = new ArrayList<>();
        for (Path path : changed(observed)) {
            // ifs, not an enum switch: this path runs during a descriptor shortage (see ReloadMetrics)
            SettleClocks.State state = clocks.state(path, now);
            if (state == SettleClocks.State.SETTLED) {
                settled = true;
                if (observed.containsKey(path)) {
                    next.put(path, observed.get(path));
                } else {
                    next.remove(path);
                }
            } else if (state == SettleClocks.State.SETTLING) {
                settling = true;
            } else {
                late.add(path.toString());
            }
        }
        unsettled = List.copyOf(late);
        String more = unsettled.isEmpty() ? "" : "; " + unsettledDetail();
        if (settling) {
            return wait(DirectoryStatus.Condition.SETTLING, "files changed; read once unchanged for "
                    + settings.fileSettleTime() + more, Optional.empty(), now);
        }
        if (!settled) {
            return wait(DirectoryStatus.Condition.UNSETTLED, unsettledDetail(), Optional.empty(), now);
        }
        if (next.isEmpty() && !applied.isEmpty()) {
            // only never-applied files that keep changing are left: not a reason to close every listener
            return wait(DirectoryStatus.Condition.EMPTY, "no settled config file in " + directory + more
                    + "; the last configuration serves", Optional.empty(), now);
        }
        return new Step.Apply(next);
    }

    private String unsettledDetail() {
        return String.join(", ", unsettled) + " kept changing for longer than "
                + settings.effectiveSettleLimit() + "; applied without, until unchanged for "
                + settings.fileSettleTime();
    }

    private Step hold(DirectoryStatus.Condition condition, String detail, Instant now) {
        seen = null;
        clocks.reset();
        unsettled = List.of();
        return wait(condition, detail + "; the last configuration serves", Optional.empty(), now);
    }

    private Step wait(DirectoryStatus.Condition condition, String detail, Optional<Instant> appliesAt, Instant now) {
        Instant since = status.condition() == condition ? status.since() : now;
        status = new DirectoryStatus(condition, since, detail, pending(), unsettled, appliesAt);
        return new Step.Wait(status);
    }

    /** The files that differ between what is applied and what the last listing saw. */
    private List<String> pending() {
        return seen == null ? List.of() : changed(seen).stream().map(Path::toString).toList();
    }

    private List<Path> changed(Map<Path, FileObservation> observed) {
        TreeSet<Path> paths = new TreeSet<>(applied.keySet());
        paths.addAll(observed.keySet());
        return paths.stream().filter(p -> !Objects.equals(applied.get(p), observed.get(p))).toList();
    }

    private Map<Path, FileObservation> observe(Map<Path, FileStat> files, Instant now) {
        Map<Path, FileObservation> observed = new TreeMap<>();
        Duration window = settings.recentChangeWindow();
        files.forEach((path, stat) -> {
            FileObservation before = clocks.seen(path).orElse(applied.get(path));
            boolean same = before != null && before.stat().equals(stat)
                    && before.checksum() != FileObservation.UNREADABLE && !stat.recent(now, window);
            observed.put(path, same ? before : FileObservation.read(path, stat));
        });
        return observed;
    }
}
