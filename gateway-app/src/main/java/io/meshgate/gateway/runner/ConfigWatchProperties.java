package io.meshgate.gateway.runner;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the config directory is watched ({@code gateway.config-watch.*}). Edits made in place are seen while they
 * are being written; these times make the gateway wait until the files have stopped changing.
 *
 * @param fileSettleTime how long every file of the directory must look the same (size, modification and change
 *     times, file identity, and content for a recently modified file) before a change is read and applied
 * @param emptySettleTime how long the directory must stay listable and empty before an empty configuration is
 *     applied; until then the last configuration keeps serving (a directory emptied on the way to new files, as
 *     {@code rm *.yaml; cp new/*.yaml .} does, never tears the listeners down)
 * @param recentChangeWindow a file modified less than this long ago has its content checksummed at every poll,
 *     since a second edit within one tick of the file system's clock leaves size and times unchanged; older files
 *     are compared by size, times and identity only, and read only when those change
 */
@ConfigurationProperties("gateway.config-watch")
public record ConfigWatchProperties(@DefaultValue("500ms") Duration fileSettleTime,
        @DefaultValue("10s") Duration emptySettleTime, @DefaultValue("2s") Duration recentChangeWindow) {

    /** The defaults, for a runner built without Spring. */
    public static final ConfigWatchProperties DEFAULTS = new ConfigWatchProperties(Duration.ofMillis(500),
            Duration.ofSeconds(10), Duration.ofSeconds(2));

    public ConfigWatchProperties {
        for (Duration d : new Duration[] {fileSettleTime, emptySettleTime, recentChangeWindow}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("gateway.config-watch: " + d + " (expected: >= 0)");
            }
        }
    }
}
