package io.meshgate.translator.translate;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.load.ResourceSet;

/**
 * Translates one configuration as it changes, at a cost that follows what changed: a VirtualService is compiled
 * again only when it changed or when a destination host it names changed its ports, subsets or seed retries;
 * otherwise its routes, diagnostics and clusters of the previous translation are taken as they were. Binding to
 * Gateways, merging virtual hosts and building clusters run every time, and are cheap. The result is always the one
 * {@link Translator#translate} gives for the same resources.
 *
 * <p>Thread-safe: translations run one at a time. It keeps the compiled form of the resources of the last
 * translation only.
 */
public final class IncrementalTranslator {

    private final TranslatorOptions options;
    private final TranslationMemory memory = new TranslationMemory();

    public IncrementalTranslator(TranslatorOptions options) {
        this.options = requireNonNull(options, "options");
    }

    public synchronized TranslationResult translate(ResourceSet in) {
        return Translator.translate(in, options, memory);
    }

    public TranslatorOptions options() {
        return options;
    }
}
