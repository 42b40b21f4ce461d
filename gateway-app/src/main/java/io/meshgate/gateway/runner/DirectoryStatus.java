package io.meshgate.gateway.runner;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the config directory looks like to the runner now, as the actuator shows it.
 *
 * @param condition whether what is served is what the directory holds, and if not, why
 * @param since when this condition began
 * @param detail the error or the state, in words
 * @param pending the files added, changed or removed that are not applied yet
 * @param unsettled the pending files that have kept changing for longer than the settle limit: the other files
 *     apply without them, and their last applied version (or nothing, for a file never applied) serves
 * @param appliesAt when the pending change applies if nothing changes meanwhile (an emptied directory)
 */
public record DirectoryStatus(Condition condition, Instant since, String detail, List<String> pending,
        List<String> unsettled, Optional<Instant> appliesAt) {

    /** Whether the directory is served as it is, and if not, why not. */
    public enum Condition {
        /** The configuration served is the directory's content. */
        CURRENT,
        /** Files changed; they are read once they have stopped changing for the file settle time. */
        SETTLING,
        /**
         * All else applied, but some files keep changing for longer than the settle limit; their last applied
         * version serves until they settle.
         */
        UNSETTLED,
        /** The directory was emptied; the last configuration serves until it has stayed empty long enough. */
        EMPTY,
        /** The directory is gone; the last configuration serves. */
        MISSING,
        /** The directory cannot be listed (an I/O error); the last configuration serves. */
        UNLISTABLE;

        /** Whether this condition keeps a configuration that the directory no longer confirms. */
        public boolean holding() {
            return this == EMPTY || this == MISSING || this == UNLISTABLE;
        }
    }

    public DirectoryStatus {
        requireNonNull(condition, "condition");
        requireNonNull(since, "since");
        requireNonNull(detail, "detail");
        pending = List.copyOf(pending);
        unsettled = List.copyOf(unsettled);
        requireNonNull(appliesAt, "appliesAt");
    }

    static DirectoryStatus current(Instant since) {
        return new DirectoryStatus(Condition.CURRENT, since, "", List.of(), List.of(), Optional.empty());
    }
}
