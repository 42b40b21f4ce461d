package io.meshgate.gateway.runner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's meters: {@code meshgate_config_reload_failures_total{reason}}, counting each episode in which a
 * change was not applied (as {@code pilot_total_xds_rejects} counts configurations a proxy refused), and
 * {@code meshgate_config_rejected_resources}, the resources served at their last good version now.
 *
 * <p>Everything an episode of {@code Too many open files} runs is loaded beforehand: the meters are registered up
 * front and no enum switch (whose helper class loads on first use) is on that path, since a class that fails to load
 * then stays unloadable for the life of the process.
 */
final class ReloadMetrics {

    /** Why a reload did not apply what the source holds. */
    enum Reason {
        /** The config directory is gone. */
        DIRECTORY_MISSING,
        /** The config directory cannot be listed. */
        DIRECTORY_UNLISTABLE,
        /** The config directory was emptied; held until it stays empty for the empty settle time. */
        DIRECTORY_EMPTY,
        /** A changed file kept changing past the settle limit; the others applied without it (per file). */
        FILE_UNSETTLED,
        /** A changed resource has errors; its last good version serves (counted per resource and version). */
        RESOURCE_REJECTED,
        /** The translation failed unexpectedly; the previous configuration serves. */
        TRANSLATION_FAILED;

        /** The reason a holding directory condition is counted under (an if, not a switch: see the class). */
        static Reason of(DirectoryStatus.Condition condition) {
            if (condition == DirectoryStatus.Condition.MISSING) {
                return DIRECTORY_MISSING;
            }
            return condition == DirectoryStatus.Condition.UNLISTABLE ? DIRECTORY_UNLISTABLE : DIRECTORY_EMPTY;
        }

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<Reason, Counter> failures = new EnumMap<>(Reason.class);
    private final AtomicInteger rejected = new AtomicInteger();

    ReloadMetrics(MeterRegistry registry) {
        for (Reason reason : Reason.values()) {
            failures.put(reason, Counter.builder("meshgate.config.reload.failures")
                    .description("Config changes not applied, by reason").tag("reason", reason.tag())
                    .register(registry));
        }
        Gauge.builder("meshgate.config.rejected.resources", rejected, AtomicInteger::get)
                .description("Resources whose latest version has errors and whose last good version serves")
                .register(registry);
    }

    void failed(Reason reason) {
        failures.get(reason).increment();
    }

    void failed(Reason reason, int times) {
        failures.get(reason).increment(times);
    }

    void rejectedNow(int resources) {
        rejected.set(resources);
    }
}
