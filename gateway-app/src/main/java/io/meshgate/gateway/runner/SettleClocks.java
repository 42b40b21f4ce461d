package io.meshgate.gateway.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One settle clock per config file: since when the file has looked as the last poll saw it, and since when it has
 * differed from the version applied. A file is settled once it has looked the same for the file settle time; a
 * file that keeps changing past the settle limit is unsettled, and no longer holds the others back. A removed file
 * has a clock too: its absence settles like any change. Not thread-safe: the runner polls from one thread.
 */
final class SettleClocks {

    /** Where one changed file stands. */
    enum State {
        /** It has looked the same for the file settle time: it may be read and applied. */
        SETTLED,
        /** It changed within the file settle time: a change of several files waits for it. */
        SETTLING,
        /** It has kept changing for longer than the settle limit: the others apply without it. */
        UNSETTLED
    }

    /**
     * @param seen what the last poll saw (empty: no such file)
     * @param since when the file began to look like that
     * @param changingSince when it began to differ from the version applied
     */
    private record Clock(Optional<FileObservation> seen, Instant since, Instant changingSince) {
    }

    private final Duration settleTime;
    private final Duration settleLimit;
    private Map<Path, Clock> clocks = Map.of();

    SettleClocks(ConfigWatchProperties settings) {
        this.settleTime = settings.fileSettleTime();
        this.settleLimit = settings.effectiveSettleLimit();
        // loaded now, not at the first change, which may come during a descriptor shortage (see ReloadMetrics)
        State.values();
    }

    /** What the last poll saw of {@code file}, if it saw it. */
    Optional<FileObservation> seen(Path file) {
        Clock clock = clocks.get(file);
        return clock == null ? Optional.empty() : clock.seen();
    }

    /** Forgets every clock: the next listing starts them again (the directory was gone or unlistable). */
    void reset() {
        clocks = Map.of();
    }

    /**
     * Moves the clocks on to what a poll observed. At the first poll a file modified within the settle time may be
     * being written: its clock starts now; any other file counts as settled long ago.
     */
    void observed(Map<Path, FileObservation> observed, Map<Path, FileObservation> applied, Instant now,
            boolean first) {
        TreeSet<Path> paths = new TreeSet<>(observed.keySet());
        paths.addAll(applied.keySet());
        paths.addAll(clocks.keySet());
        Map<Path, Clock> next = new HashMap<>();
        for (Path path : paths) {
            Optional<FileObservation> seen = Optional.ofNullable(observed.get(path));
            boolean changed = !seen.equals(Optional.ofNullable(applied.get(path)));
            Clock before = clocks.get(path);
            if (before == null && first) {
                boolean recent = seen.map(s -> s.stat().recent(now, settleTime)).orElse(false);
                next.put(path, new Clock(seen, recent ? now : Instant.EPOCH, now));
            } else if (before == null) {
                next.put(path, new Clock(seen, now, now));
            } else if (changed || seen.isPresent()) {
                boolean wasChanged = !before.seen().equals(Optional.ofNullable(applied.get(path)));
                Instant since = before.seen().equals(seen) ? before.since() : now;
                next.put(path, new Clock(seen, since, wasChanged && changed ? before.changingSince() : now));
            }
        }
        clocks = Map.copyOf(next);
    }

    /** Where a file that differs from its applied version stands now. */
    State state(Path file, Instant now) {
        Clock clock = Objects.requireNonNull(clocks.get(file), "no clock for " + file);
        if (!clock.since().plus(settleTime).isAfter(now)) {
            return State.SETTLED;
        }
        return clock.changingSince().plus(settleLimit).isAfter(now) ? State.SETTLING : State.UNSETTLED;
    }
}
