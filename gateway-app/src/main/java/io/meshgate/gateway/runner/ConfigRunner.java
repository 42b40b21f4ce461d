package io.meshgate.gateway.runner;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.ResourceSet;
import io.meshgate.translator.translate.IncrementalTranslator;
import io.meshgate.translator.translate.Translator;
import io.meshgate.translator.translate.TranslatorOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watch, translate, apply: polls the config directory, and when its files changed and have settled, translates
 * them and swaps the live configuration in one volatile write; or applies each resource set another source hands it
 * ({@link #apply(ResourceSet, String)}), as the Kubernetes source does. Translations are incremental: only what
 * changed since the last one is compiled again. A changed resource with errors keeps its last good version serving
 * ({@link LastGoodVersions}); a directory that is missing, unlistable or suddenly empty keeps the whole last
 * configuration ({@link DirectoryWatch}); a translation that throws keeps the previous configuration serving.
 */
public final class ConfigRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigRunner.class);

    private final Path directory;
    private final IncrementalTranslator translator;
    private final LastGoodResources resources = new LastGoodResources();
    private final LastGoodVersions versions = new LastGoodVersions();
    private final DirectoryWatch watch;
    private final ReloadMetrics metrics;
    private final List<Consumer<LiveConfig>> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "config-runner");
        thread.setDaemon(true);
        return thread;
    });
    private volatile LiveConfig current;
    private volatile boolean polling;
    private volatile List<SourceRef> rejected = List.of();
    private DirectoryStatus.Condition reported = DirectoryStatus.Condition.CURRENT;
    private Set<String> reportedUnsettled = Set.of();
    private final Duration settleLimit;

    public ConfigRunner(Path directory, TranslatorOptions options, ConfigWatchProperties watch,
            MeterRegistry registry) {
        this.directory = directory;
        this.translator = new IncrementalTranslator(options);
        this.watch = new DirectoryWatch(directory, watch);
        this.settleLimit = watch.effectiveSettleLimit();
        this.metrics = new ReloadMetrics(registry);
        this.current = LiveConfig.of(0, Translator.translate(ResourceSet.EMPTY, options)
                .snapshot(), List.of());
    }

    /**
     * Applies the directory, then checks it for changes every {@code interval}. A file modified within the settle
     * time may be being written (a restart during a deploy): the first configuration waits for it to settle, at
     * most the settle limit, polling every {@code interval}; a directory not modified lately applies at once. This
     * runs on the thread that builds the application, so the first configuration is live before any listener
     * opens and before readiness.
     */
    public void start(Duration interval) {
        polling = true;
        long deadline = System.nanoTime() + settleLimit.plus(interval.multipliedBy(2)).toNanos();
        while (!applyIfChanged() && watch.status().condition() == DirectoryStatus.Condition.SETTLING
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.max(1, interval.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        poller.scheduleWithFixedDelay(this::applyIfChangedSafely, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public LiveConfig current() {
        return current;
    }

    /** The config directory's state, when the configuration comes from it (empty for the Kubernetes source). */
    public Optional<DirectoryStatus> directoryStatus() {
        return polling ? Optional.of(watch.status()) : Optional.empty();
    }

    /** The resources whose latest version has errors, served at their last good version. */
    public List<SourceRef> rejected() {
        return rejected;
    }

    /** Called with every configuration applied from now on, on the runner's thread. */
    public void subscribe(Consumer<LiveConfig> subscriber) {
        subscribers.add(subscriber);
    }

    /** Polls the directory once and applies it if files were added, changed or removed and have settled. */
    public synchronized boolean applyIfChanged() {
        Instant now = Instant.now();
        DirectoryWatch.Step step = watch.poll(now);
        if (step instanceof DirectoryWatch.Step.Wait wait) {
            report(wait.status());
            return false;
        }
        var files = ((DirectoryWatch.Step.Apply) step).files();
        try {
            apply(resources.load(files), directory.toString());
        } finally {
            // a set that failed to translate is not retried at every poll: it fails the same way until it changes
            watch.applied(files, now);
            report(watch.status());
        }
        return true;
    }

    /**
     * Translates a resource set and makes it the live configuration; a resource that now has errors is served at
     * its last good version instead.
     *
     * @param origin where the resources come from, for the log
     * @return the configuration now live
     */
    public synchronized LiveConfig apply(ResourceSet resources, String origin) {
        LastGoodVersions.Gated gated;
        try {
            gated = versions.translate(resources, translator::translate);
        } catch (RuntimeException | Error e) {
            metrics.failed(ReloadMetrics.Reason.TRANSLATION_FAILED);
            throw e;
        }
        LiveConfig next = LiveConfig.of(current.generation() + 1, gated.result().snapshot(), gated.diagnostics());
        Set<SourceRef> before = new HashSet<>(rejected);
        metrics.failed(ReloadMetrics.Reason.RESOURCE_REJECTED,
                (int) gated.rejected().stream().filter(r -> !before.contains(r)).count());
        metrics.rejectedNow(gated.rejected().size());
        rejected = gated.rejected();
        logDiagnostics(next, origin);
        current = next;
        subscribers.forEach(s -> s.accept(next));
        return next;
    }

    private void applyIfChangedSafely() {
        try {
            applyIfChanged();
        } catch (RuntimeException | Error e) {
            log.error("config from {} not applied; still serving generation {}", directory, current.generation(), e);
        }
    }

    /** Logs and counts a condition once when it begins, not at every poll it lasts. */
    private void report(DirectoryStatus status) {
        reportUnsettled(status);
        DirectoryStatus.Condition condition = status.condition();
        if (condition == reported) {
            return;
        }
        if (condition.holding()) {
            log.warn("config not reloaded: {}; still serving generation {}", status.detail(),
                    current.generation());
            metrics.failed(ReloadMetrics.Reason.of(condition));
        } else if (reported.holding()) {
            log.info("config directory {} readable again ({})", directory, condition);
        }
        reported = condition;
    }

    /** Logs and counts a file that keeps changing once, when it passes the settle limit. */
    private void reportUnsettled(DirectoryStatus status) {
        if (status.unsettled().isEmpty() && reportedUnsettled.isEmpty()) {
            return;
        }
        for (String file : status.unsettled()) {
            if (!reportedUnsettled.contains(file)) {
                log.warn("config file {} has kept changing for longer than {}; the other changes apply without "
                        + "it, and its last applied version serves until it stays unchanged for the settle time",
                        file, settleLimit);
                metrics.failed(ReloadMetrics.Reason.FILE_UNSETTLED);
            }
        }
        reportedUnsettled = Set.copyOf(status.unsettled());
    }

    private void logDiagnostics(LiveConfig config, String origin) {
        long errors = config.diagnostics().stream().filter(Diagnostic::isError).count();
        log.info("applied config generation {} from {}: version {}, {} listener(s), {} cluster(s), "
                        + "{} diagnostic(s), {} error(s), {} rejected change(s)", config.generation(), origin,
                config.snapshot().version(), config.snapshot().listeners().size(),
                config.snapshot().clusters().size(), config.diagnostics().size(), errors, rejected.size());
        Set<Diagnostic> before = Set.copyOf(current.diagnostics());
        config.diagnostics().stream().filter(d -> !before.contains(d)).forEach(d -> {
            if (d.isError()) {
                log.warn("{}", d.format());
            } else {
                log.info("{}", d.format());
            }
        });
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
