package io.secretsync.operator.reconciler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SourceSpec;
import io.secretsync.operator.sync.ObservedSecret;
import io.secretsync.operator.sync.SourceSelection;

/**
 * Secrets of the source namespaces only: one namespace-scoped informer per namespace that some
 * policy reads from, started and stopped as policies come and go. JOSDK's informer event source
 * cannot watch "no namespace yet" (an empty set means all namespaces), and watching every Secret
 * of the cluster is exactly what we must not do.
 * <p>
 * A source Secret keeps its data in memory only while some policy picks it (by name or
 * selector); every other Secret of a source namespace is kept like a replica, metadata and
 * digest only. When a policy starts picking a Secret held without data, {@link #secretsFor}
 * reads that Secret once and the cache keeps its data from then on.
 */
public class SourceSecretEventSource extends AbstractEventSource<Secret, SecretSyncPolicy> {
    private static final Logger LOG = Logger.getLogger(SourceSecretEventSource.class);

    private final KubernetesClient client;
    private final EventSourceContext<SecretSyncPolicy> context;
    private final Map<String, SharedIndexInformer<Secret>> informers = new ConcurrentHashMap<>();
    private final Map<String, SlimStore<Secret>> stores = new ConcurrentHashMap<>();

    public SourceSecretEventSource(EventSourceContext<SecretSyncPolicy> context) {
        super(Secret.class, "source-secrets");
        this.client = context.getClient();
        this.context = context;
    }

    /** Makes sure namespace is watched; returns once its informer has listed it. */
    public synchronized void watch(String namespace) {
        if (informers.containsKey(namespace)) {
            return;
        }
        LOG.debugf("watching source Secrets in namespace %s", namespace);
        SlimStore<Secret> store = new SlimStore<>(s -> picked(namespace, s) ? ObservedSecret.keepingData(s)
                : ObservedSecret.of(s));
        SharedIndexInformer<Secret> informer = client.secrets().inNamespace(namespace).withLimit(ListPages.SIZE)
                .runnableInformer(0);
        informer.itemStore(store);
        informer.addEventHandler(new Handler());
        try {
            informer.run(); // lists the namespace; throws when it cannot (the reconcile then fails and retries)
        } catch (RuntimeException e) {
            informer.stop();
            throw e;
        }
        stores.put(namespace, store);
        informers.put(namespace, informer);
    }

    /** Stops informers of namespaces no policy reads from any more. */
    public synchronized void retain(Set<String> namespaces) {
        informers.keySet().removeIf(ns -> {
            if (namespaces.contains(ns)) {
                return false;
            }
            LOG.debugf("no policy reads namespace %s any more; stopping its Secret informer", ns);
            informers.get(ns).stop();
            stores.remove(ns);
            return true;
        });
        stores.forEach((ns, store) -> store.values().toList().forEach(s -> {
            if (!(s instanceof ObservedSecret) && !picked(ns, s)) {
                store.replace(store.getKey(s), s, ObservedSecret.of(s)); // no policy copies it any more
            }
        }));
    }

    /**
     * Every Secret of spec's namespace; those spec picks carry their data (read from the API
     * server now if the cache held them without).
     */
    public List<Secret> secretsFor(SourceSpec spec) {
        SlimStore<Secret> store = stores.get(spec.getNamespace());
        if (store == null) {
            return List.of();
        }
        List<Secret> result = new ArrayList<>();
        for (Secret s : store.values().toList()) {
            if (s instanceof ObservedSecret && SourceSelection.picks(spec, s)) {
                LOG.debugf("Secret %s/%s is picked now and was cached without its data; reading it",
                        spec.getNamespace(), s.getMetadata().getName());
                Secret full = client.secrets().inNamespace(spec.getNamespace()).withName(s.getMetadata().getName())
                        .get();
                if (full == null) {
                    continue; // deleted meanwhile; its delete event follows
                }
                Secret kept = ObservedSecret.keepingData(full);
                store.replace(store.getKey(s), s, kept);
                result.add(kept);
            } else {
                result.add(s);
            }
        }
        return result;
    }

    /** True when a live policy reading namespace picks s. */
    private boolean picked(String namespace, Secret s) {
        return context.getPrimaryCache().list(p -> p.getMetadata().getDeletionTimestamp() == null
                && p.getSpec() != null && p.getSpec().getSource() != null
                && namespace.equals(p.getSpec().getSource().getNamespace())
                && SourceSelection.picks(p.getSpec().getSource(), s)).findAny().isPresent();
    }

    private Collection<Secret> secretsIn(String namespace) {
        SlimStore<Secret> store = stores.get(namespace);
        return store == null ? List.of() : store.values().toList();
    }

    public Set<String> watchedNamespaces() {
        return Set.copyOf(informers.keySet());
    }

    @Override
    public Set<Secret> getSecondaryResources(SecretSyncPolicy primary) {
        return Set.copyOf(secretsIn(primary.getSpec().getSource().getNamespace()));
    }

    @Override
    public synchronized void stop() {
        informers.values().forEach(SharedIndexInformer::stop);
        informers.clear();
        stores.clear();
        super.stop();
    }

    private void propagate(Secret secret) {
        if (getEventHandler() == null) {
            return;
        }
        String ns = secret.getMetadata().getNamespace();
        context.getPrimaryCache().list(p -> p.getSpec() != null && p.getSpec().getSource() != null
                && ns.equals(p.getSpec().getSource().getNamespace()))
                .forEach(p -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(p))));
    }

    private class Handler implements ResourceEventHandler<Secret> {
        @Override
        public void onAdd(Secret obj) {
            propagate(obj);
        }

        @Override
        public void onUpdate(Secret oldObj, Secret newObj) {
            if (!oldObj.getMetadata().getResourceVersion().equals(newObj.getMetadata().getResourceVersion())) {
                propagate(newObj);
            }
        }

        @Override
        public void onDelete(Secret obj, boolean deletedFinalStateUnknown) {
            propagate(obj);
        }
    }
}
