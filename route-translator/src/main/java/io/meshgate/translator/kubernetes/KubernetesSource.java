package io.meshgate.translator.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceKind;
import io.meshgate.translator.load.ResourceSet;
import io.meshgate.translator.load.SeedFields;
import io.meshgate.translator.load.SourcePositions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Istio and Kubernetes resources from the API server, kept current by fabric8 shared informers (list, then watch;
 * a watch that breaks is re-established and the cache resynced by the informer). Every change to any cache is
 * debounced into one rebuild of the whole {@link ResourceSet}, handed to the listener: a burst of a thousand changes
 * is a handful of rebuilds, not a thousand. The resources that did not change are the informers' very objects, so an
 * {@link io.meshgate.translator.translate.IncrementalTranslator} compiles again only those that did. When the API
 * server goes away the caches keep their last content, so the last resource set stays in force until it returns.
 */
public final class KubernetesSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesSource.class);

    /** The kinds watched. Pods only give endpoints their labels; Secrets are watched by {@link SecretMirror}. */
    static final List<ResourceKind> KINDS = List.of(ResourceKind.GATEWAY, ResourceKind.VIRTUAL_SERVICE,
            ResourceKind.DESTINATION_RULE, ResourceKind.SERVICE_ENTRY, ResourceKind.WORKLOAD_ENTRY,
            ResourceKind.SERVICE, ResourceKind.ENDPOINT_SLICE, ResourceKind.POD, ResourceKind.ENVOY_FILTER,
            ResourceKind.RATE_LIMIT_POLICY);

    /**
     * Kinds watched only where the API server serves them: a cluster without their CRD (Meshgate's RateLimitPolicy
     * not installed, or Istio's CRDs without EnvoyFilter) still gets a gateway, without what they would add.
     */
    static final Set<ResourceKind> OPTIONAL_KINDS = Set.of(ResourceKind.ENVOY_FILTER, ResourceKind.RATE_LIMIT_POLICY);

    private record Watched(ResourceKind kind, SharedIndexInformer<? extends HasMetadata> informer) {
    }

    private final KubernetesClient client;
    private final KubernetesSourceOptions options;
    private final List<Watched> informers = new CopyOnWriteArrayList<>();
    private final Debouncer debouncer;
    private volatile Consumer<ResourceSet> listener = set -> { };
    /** Set once every informer has listed its kind: a rebuild before that would see some kinds and not others. */
    private volatile boolean synced;

    public KubernetesSource(KubernetesClient client, KubernetesSourceOptions options) {
        this.client = client;
        this.options = options;
        this.debouncer = new Debouncer("kubernetes-source", options.quietPeriod(), options.maxDelay(), this::rebuild);
    }

    /**
     * Starts the informers and waits until each has listed its kind once (at most {@code timeout}); from then on,
     * every change leads to a call of {@code listener} on the source's thread. The first resource set is handed over
     * before this returns.
     *
     * @throws IllegalStateException when the caches did not fill in time (the API server cannot be reached, or
     *     denies the list); the informers keep trying in the background
     */
    public void start(Consumer<ResourceSet> listener, Duration timeout) {
        this.listener = listener;
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata resource) {
                debouncer.changed();
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                if (!before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion())) {
                    debouncer.changed();
                }
            }

            @Override
            public void onDelete(HasMetadata resource, boolean finalStateUnknown) {
                debouncer.changed();
            }
        };
        for (ResourceKind kind : KINDS) {
            if (OPTIONAL_KINDS.contains(kind) && !served(kind)) {
                continue;
            }
            for (String namespace : options.namespacesOrAll()) {
                informers.add(new Watched(kind, inform(kind, namespace, handler)));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Watched watched : informers) {
            long left = deadline - System.nanoTime();
            try {
                watched.informer().start().toCompletableFuture().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the " + watched.kind().kind() + " cache was not filled within "
                        + timeout + ": is the API server reachable and are list and watch allowed?", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("cannot list " + watched.kind().kind() + ": "
                        + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while filling the caches", e);
            }
        }
        synced = true;
        rebuild();
    }

    /** Whether the API server serves the kind (its CRD is installed); asked once, at start. */
    private boolean served(ResourceKind kind) {
        try {
            // asks the API server's discovery, which lists a custom kind once its CRD is installed
            String apiVersion = HasMetadata.getApiVersion(kind.modelClass());
            if (client.supports(apiVersion, kind.kind())) {
                return true;
            }
            log.warn("the API server does not serve {} ({}): not watched; install its CRD and restart to apply them",
                    kind.kind(), apiVersion);
        } catch (RuntimeException e) {
            log.warn("cannot tell whether the API server serves {}: not watched: {}", kind.kind(), e.toString());
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private SharedIndexInformer<? extends HasMetadata> inform(ResourceKind kind, String namespace,
            ResourceEventHandler<HasMetadata> handler) {
        var resources = client.resources((Class<HasMetadata>) kind.modelClass());
        var informer = namespace.isEmpty() ? resources.inAnyNamespace().runnableInformer(options.resync().toMillis())
                : resources.inNamespace(namespace).runnableInformer(options.resync().toMillis());
        if (kind == ResourceKind.POD) {
            ((SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod>) (SharedIndexInformer<?>) informer)
                    .itemStore(SlimItemStore.pods());
        }
        informer.addEventHandler(handler);
        // a watch that cannot be (re-)established is retried by the informer; say so instead of failing
        informer.exceptionHandler((started, error) -> {
            log.warn("watch of {} failed, retrying: {}", kind.kind(), error.toString());
            return true;
        });
        return informer;
    }

    /** The resources in the caches now. */
    public ResourceSet resources() {
        List<Loaded<?>> loaded = new ArrayList<>();
        for (Watched watched : informers) {
            for (HasMetadata resource : watched.informer().getStore().list()) {
                loaded.add(loaded(watched.kind(), resource));
            }
        }
        return ResourceSet.of(loaded, List.<Diagnostic>of());
    }

    /** Whether every informer is watching (false while the API server cannot be reached). */
    public boolean watching() {
        return !informers.isEmpty() && informers.stream().allMatch(w -> w.informer().isWatching());
    }

    /** One at a time, so that a later rebuild always reads the caches later and is applied later. */
    private synchronized void rebuild() {
        if (!synced) {
            return;
        }
        try {
            listener.accept(resources());
        } catch (RuntimeException e) {
            log.error("resources from the API server not applied", e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Loaded<?> loaded(ResourceKind kind, HasMetadata resource) {
        String namespace = resource.getMetadata().getNamespace() == null ? "" : resource.getMetadata().getNamespace();
        return new Loaded(kind, resource, SourceRef.of(kind.kind(), namespace, resource.getMetadata().getName()),
                SourcePositions.NONE, SeedFields.NONE);
    }

    @Override
    public void close() {
        debouncer.close();
        informers.forEach(w -> w.informer().stop());
    }
}
