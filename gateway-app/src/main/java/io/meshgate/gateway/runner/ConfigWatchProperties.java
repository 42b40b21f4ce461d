package io.meshgate.gateway.runner;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the config directory is watched ({@code gateway.config-watch.*}). Edits made in place are seen while they
 * are being written; these times make the gateway wait until a file has stopped changing before reading it.
 *
 * @param fileSettleTime how long a file must look the same (size, modification and change times, file identity,
 *     and content for a recently modified file) before its change is read and applied; each file has its own clock,
 *     and changes of several files apply together once none of them is still within its settle time
 * @param fileSettleLimit how long a changed file may keep changing (never looking the same for the settle time)
 *     before the other files' changes apply without it; it is then reported, and its last applied version (or
 *     nothing, for a file never applied) serves until it settles. Also the longest wait at startup for files
 *     modified just before. Never less than {@code fileSettleTime}
 * @param emptySettleTime how long the directory must stay listable and empty before an empty configuration is
 *     applied; until then the last configuration keeps serving (a directory emptied on the way to new files, as
 *     {@code rm *.yaml; cp new/*.yaml .} does, never tears the listeners down)
 * @param recentChangeWindow a file modified less than this long ago has its content checksummed at every poll,
 *     since a second edit within one tick of the file system's clock leaves size and times unchanged; older files
 *     are compared by size, times and identity only, and read only when those change
 */
@ConfigurationProperties("gateway.config-watch")
public record ConfigWatchProperties(@DefaultValue("500ms") Duration fileSettleTime,
        @DefaultValue("5s") Duration fileSettleLimit, @DefaultValue("10s") Duration emptySettleTime,
        @DefaultValue("2s") Duration recentChangeWindow) {

    /** The defaults, for a runner built without Spring. */
    public static final ConfigWatchProperties DEFAULTS = new ConfigWatchProperties(Duration.ofMillis(500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(2));

    public ConfigWatchProperties {
        for (Duration d : new Duration[] {fileSettleTime, fileSettleLimit, emptySettleTime, recentChangeWindow}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("gateway.config-watch: " + d + " (expected: >= 0)");
            }
        }
    }

    /** The settle limit, at least the settle time: a file that changed once must be able to settle first. */
    Duration effectiveSettleLimit() {
        return fileSettleLimit.compareTo(fileSettleTime) < 0 ? fileSettleTime : fileSettleLimit;
    }
}
