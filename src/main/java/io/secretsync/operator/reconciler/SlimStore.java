package io.secretsync.operator.reconciler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

/**
 * An informer's store that keeps each object as slim turns it into when it arrives: only the
 * fields the operator reads. The full object the API server sent is garbage as soon as the
 * informer has handed it to its event handlers.
 */
public class SlimStore<T extends HasMetadata> implements ItemStore<T> {
    private final Map<String, T> items = new ConcurrentHashMap<>();
    private final UnaryOperator<T> slim;

    public SlimStore(UnaryOperator<T> slim) {
        this.slim = slim;
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        return items.put(key, slim.apply(obj));
    }

    /** Replaces expected by next, unless the informer stored a newer version meanwhile. */
    boolean replace(String key, T expected, T next) {
        return items.replace(key, expected, next);
    }

    @Override
    public T remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return items.get(key);
    }
}
