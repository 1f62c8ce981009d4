package io.secretsync.operator.reconciler;

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

/**
 * Secrets of the source namespaces only: one namespace-scoped informer per namespace that some
 * policy reads from, started and stopped as policies come and go. JOSDK's informer event source
 * cannot watch "no namespace yet" (an empty set means all namespaces), and watching every Secret
 * of the cluster is exactly what we must not do.
 */
public class SourceSecretEventSource extends AbstractEventSource<Secret, SecretSyncPolicy> {
    private static final Logger LOG = Logger.getLogger(SourceSecretEventSource.class);

    private final KubernetesClient client;
    private final EventSourceContext<SecretSyncPolicy> context;
    private final Map<String, SharedIndexInformer<Secret>> informers = new ConcurrentHashMap<>();

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
        SharedIndexInformer<Secret> informer = client.secrets().inNamespace(namespace).inform(new Handler(), 0);
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
            return true;
        });
    }

    public Collection<Secret> secretsIn(String namespace) {
        SharedIndexInformer<Secret> informer = informers.get(namespace);
        return informer == null ? List.of() : informer.getStore().list();
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
