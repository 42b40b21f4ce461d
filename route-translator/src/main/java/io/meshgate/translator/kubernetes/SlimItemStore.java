package io.meshgate.translator.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.UnaryOperator;

/**
 * An informer cache that keeps only what the translator reads of each object. Pods are the bulk of a cluster and
 * the translator needs only their labels (for subsets), so a cached pod is its name, namespace, labels, uid and
 * resource version; its spec and status are dropped when it arrives.
 */
final class SlimItemStore<T extends HasMetadata> extends BasicItemStore<T> {

    private final UnaryOperator<T> slim;

    private SlimItemStore(UnaryOperator<T> slim) {
        super(Cache::metaNamespaceKeyFunc);
        this.slim = slim;
    }

    /** The cache of pods: metadata that identifies them, and their labels. */
    static SlimItemStore<Pod> pods() {
        return new SlimItemStore<>(pod -> new PodBuilder().withMetadata(new ObjectMetaBuilder()
                .withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace())
                .withUid(pod.getMetadata().getUid())
                .withResourceVersion(pod.getMetadata().getResourceVersion())
                .withLabels(pod.getMetadata().getLabels())
                .build()).build());
    }

    @Override
    public T put(String key, T object) {
        return super.put(key, slim.apply(object));
    }
}
