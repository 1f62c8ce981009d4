package io.secretsync.operator.reconciler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.secretsync.operator.sync.PullSecretPlanner;

/**
 * The ServiceAccount informer's store. Clusters have many ServiceAccounts and the operator reads
 * three things of each: its resourceVersion, the names in imagePullSecrets and its own
 * annotation. Only those are kept, in a record of a few words; a ServiceAccount object is
 * rebuilt when asked for. Writes never start from this copy: ServiceAccountWriter reads the
 * ServiceAccount just before changing it.
 */
final class ServiceAccountStore implements ItemStore<ServiceAccount> {
    private record Entry(String resourceVersion, String annotation, String[] pullSecrets) {
    }

    private final Map<String, Entry> items = new ConcurrentHashMap<>();

    @Override
    public String getKey(ServiceAccount obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public ServiceAccount put(String key, ServiceAccount sa) {
        Map<String, String> annotations = sa.getMetadata().getAnnotations();
        String annotation = annotations == null ? null : annotations.get(PullSecretPlanner.ANNOTATION);
        List<LocalObjectReference> refs = sa.getImagePullSecrets();
        String[] pulls = refs == null || refs.isEmpty() ? null
                : refs.stream().map(r -> r.getName() == null ? "" : r.getName().intern()).toArray(String[]::new);
        return expand(key, items.put(key,
                new Entry(sa.getMetadata().getResourceVersion(), annotation, pulls)));
    }

    @Override
    public ServiceAccount remove(String key) {
        return expand(key, items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<ServiceAccount> values() {
        return items.entrySet().stream().map(e -> expand(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public ServiceAccount get(String key) {
        return expand(key, items.get(key));
    }

    private static ServiceAccount expand(String key, Entry e) {
        if (e == null) {
            return null;
        }
        int slash = key.indexOf('/');
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
        meta.setName(key.substring(slash + 1));
        meta.setResourceVersion(e.resourceVersion());
        if (e.annotation() != null) {
            meta.setAnnotations(Map.of(PullSecretPlanner.ANNOTATION, e.annotation()));
        }
        ServiceAccount sa = new ServiceAccount();
        sa.setMetadata(meta);
        if (e.pullSecrets() != null) {
            List<LocalObjectReference> refs = new ArrayList<>(e.pullSecrets().length);
            for (String name : e.pullSecrets()) {
                refs.add(new LocalObjectReference(name));
            }
            sa.setImagePullSecrets(refs);
        }
        return sa;
    }
}
