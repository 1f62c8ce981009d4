package io.secretsync.operator.reconciler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
 * <p>
 * And only the ServiceAccounts that matter are kept: those carrying the operator's annotation
 * (it may have to remove its references) and those whose name some policy's imagePullSecrets
 * may want. When a policy starts wanting a new name, the ServiceAccounts of that name are
 * listed once and added ({@link #want}); the watch keeps them current from then on.
 */
final class ServiceAccountStore implements ItemStore<ServiceAccount> {
    private record Entry(String resourceVersion, String annotation, String[] pullSecrets) {
    }

    private final Map<String, Entry> items = new ConcurrentHashMap<>();
    private volatile Set<String> wantedNames = Set.of();

    /**
     * Keeps the ServiceAccounts named names from now on (and those carrying our annotation);
     * lister lists the ServiceAccounts of one name across namespaces, for names new to the set.
     */
    synchronized void want(Set<String> names, Function<String, List<ServiceAccount>> lister) {
        Set<String> added = new HashSet<>(names);
        added.removeAll(wantedNames);
        Set<String> dropped = new HashSet<>(wantedNames);
        dropped.removeAll(names);
        wantedNames = Set.copyOf(names);
        for (String name : added) {
            for (ServiceAccount sa : lister.apply(name)) {
                if (name.equals(sa.getMetadata().getName())) {
                    items.putIfAbsent(getKey(sa), entry(sa)); // the watch may have a newer one already
                }
            }
        }
        if (!dropped.isEmpty()) {
            items.entrySet().removeIf(e -> e.getValue().annotation() == null
                    && dropped.contains(e.getKey().substring(e.getKey().indexOf('/') + 1)));
        }
    }

    /** Like want, but only adds names (a policy needs them right now); follow() drops the stale. */
    synchronized void include(Set<String> names, Function<String, List<ServiceAccount>> lister) {
        if (!wantedNames.containsAll(names)) {
            Set<String> all = new HashSet<>(wantedNames);
            all.addAll(names);
            want(all, lister);
        }
    }

    private boolean kept(ServiceAccount sa, Entry e) {
        return e.annotation() != null || wantedNames.contains(sa.getMetadata().getName());
    }

    private static Entry entry(ServiceAccount sa) {
        Map<String, String> annotations = sa.getMetadata().getAnnotations();
        String annotation = annotations == null ? null : annotations.get(PullSecretPlanner.ANNOTATION);
        List<LocalObjectReference> refs = sa.getImagePullSecrets();
        String[] pulls = refs == null || refs.isEmpty() ? null
                : refs.stream().map(r -> r.getName() == null ? "" : r.getName().intern()).toArray(String[]::new);
        return new Entry(sa.getMetadata().getResourceVersion(), annotation, pulls);
    }

    @Override
    public String getKey(ServiceAccount obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public ServiceAccount put(String key, ServiceAccount sa) {
        Entry e = entry(sa);
        return expand(key, kept(sa, e) ? items.put(key, e) : items.remove(key));
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
