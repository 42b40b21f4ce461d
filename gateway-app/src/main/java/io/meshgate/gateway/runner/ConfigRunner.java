package io.meshgate.gateway.runner;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.load.ResourceSet;
import io.meshgate.translator.translate.IncrementalTranslator;
import io.meshgate.translator.translate.TranslationResult;
import io.meshgate.translator.translate.Translator;
import io.meshgate.translator.translate.TranslatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watch, translate, apply: polls the config directory, and when its files change, translates them and swaps the
 * live configuration in one volatile write; or applies each resource set another source hands it
 * ({@link #apply(ResourceSet, String)}), as the Kubernetes source does. Translations are incremental: only what
 * changed since the last one is compiled again. A translation that throws keeps the previous configuration serving.
 */
public final class ConfigRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigRunner.class);

    private final Path directory;
    private final IncrementalTranslator translator;
    private final LastGoodResources resources = new LastGoodResources();
    private final List<Consumer<LiveConfig>> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "config-runner");
        thread.setDaemon(true);
        return thread;
    });
    private volatile LiveConfig current;
    private DirectoryFingerprint applied = DirectoryFingerprint.NONE;

    public ConfigRunner(Path directory, TranslatorOptions options) {
        this.directory = directory;
        this.translator = new IncrementalTranslator(options);
        this.current = LiveConfig.of(0, Translator.translate(ResourceSet.EMPTY, options)
                .snapshot(), List.of());
    }

    /** Applies the directory as it is now, then checks it for changes every {@code interval}. */
    public void start(Duration interval) {
        applyIfChanged();
        poller.scheduleWithFixedDelay(this::applyIfChangedSafely, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public LiveConfig current() {
        return current;
    }

    /** Called with every configuration applied from now on, on the runner's thread. */
    public void subscribe(Consumer<LiveConfig> subscriber) {
        subscribers.add(subscriber);
    }

    /** Applies the directory if any file was added, changed or removed since the last application. */
    public synchronized boolean applyIfChanged() {
        List<Path> files = yamlFiles();
        DirectoryFingerprint fingerprint = DirectoryFingerprint.of(files);
        if (fingerprint.equals(applied)) {
            return false;
        }
        apply(resources.load(files), directory.toString());
        applied = fingerprint;
        return true;
    }

    /**
     * Translates a resource set and makes it the live configuration.
     *
     * @param origin where the resources come from, for the log
     * @return the configuration now live
     */
    public synchronized LiveConfig apply(ResourceSet resources, String origin) {
        TranslationResult result = translator.translate(resources);
        LiveConfig next = LiveConfig.of(current.generation() + 1, result.snapshot(), result.diagnostics());
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

    private List<Path> yamlFiles() {
        if (!Files.isDirectory(directory)) {
            return List.of(directory);
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches(".*\\.(yaml|yml)"))
                    .filter(p -> !hidden(directory.relativize(p)))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot list {}: {}", directory, e.getMessage());
            return List.of();
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private void logDiagnostics(LiveConfig config, String origin) {
        long errors = config.diagnostics().stream().filter(Diagnostic::isError).count();
        log.info("applied config generation {} from {}: version {}, {} listener(s), {} cluster(s), "
                        + "{} diagnostic(s), {} error(s)", config.generation(), origin,
                config.snapshot().version(), config.snapshot().listeners().size(),
                config.snapshot().clusters().size(), config.diagnostics().size(), errors);
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
