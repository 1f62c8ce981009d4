package io.secretsync.operator.reconciler;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.secretsync.operator.sync.ObservedSecret;
import io.secretsync.operator.sync.ReplicaKey;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * What policies read of one remote cluster: our replicas there (label-filtered, kept as metadata
 * and digest like the local ones, never their data) and its Namespaces (name, labels, phase).
 * The informers start when a policy first uses the cluster and stop when none does; while the
 * cluster is away they retry on their own, and nothing is planned from them until they watch again.
 */
final class RemoteClusterCaches implements OwnWrites {
    private static final Logger LOG = Logger.getLogger(RemoteClusterCaches.class);

    /** What a change in the cluster wakes: a replica's policy (by name), or every policy using the cluster (null). */
    interface Wake extends Consumer<String> {
    }

    private final String cluster;
    private final KubernetesClient client;
    private final SlimStore<Secret> replicaStore = new SlimStore<>(ObservedSecret::of);
    private final SlimStore<Namespace> namespaceStore = new SlimStore<>(PolicyCaches::slimNamespace);
    private final SharedIndexInformer<Secret> replicas;
    private final SharedIndexInformer<Namespace> namespaces;
    private final UnmanagedSecrets unmanaged;

    RemoteClusterCaches(String cluster, KubernetesClient client, Wake wake) {
        this.cluster = cluster;
        this.client = client;
        this.unmanaged = new UnmanagedSecrets(client);
        replicas = client.secrets().inAnyNamespace()
                .withLabel(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.MANAGED_BY_VALUE)
                .withLimit(ListPages.SIZE).runnableInformer(0);
        replicas.itemStore(replicaStore);
        replicas.addEventHandler(new Handler<>(s -> wake.accept(ReplicaMetadata.owningPolicy(s))));
        namespaces = client.namespaces().withLimit(ListPages.SIZE).runnableInformer(0);
        namespaces.itemStore(namespaceStore);
        namespaces.addEventHandler(new Handler<>(ns -> wake.accept(null)));
    }

    /** Starts listing and watching; does not wait (a cluster that is away must not hold a reconcile). */
    void start() {
        LOG.debugf("watching our replicas and the namespaces of cluster %s", cluster);
        replicas.start();
        namespaces.start();
    }

    void stop() {
        LOG.debugf("no policy writes into cluster %s any more; its informers stop", cluster);
        replicas.stop();
        namespaces.stop();
    }

    KubernetesClient client() {
        return client;
    }

    /** True when both caches have listed the cluster and watch it now: only then is a plan from them right. */
    boolean current() {
        return replicas.hasSynced() && namespaces.hasSynced() && replicas.isWatching() && namespaces.isWatching();
    }

    List<Namespace> namespaces() {
        return namespaceStore.values().toList();
    }

    /** Managed replicas of this policy (any origin: the planner tells ours), plus any managed replica where one of names may go. */
    List<Secret> replicasFor(String policy, Set<String> names) {
        return replicaStore.values().filter(s -> names.contains(s.getMetadata().getName())
                || policy.equals(ReplicaMetadata.owningPolicy(s))).toList();
    }

    Map<ReplicaKey, Secret> unmanaged(Set<String> names) {
        return unmanaged.lookup(names);
    }

    ReplicaWriter.Target target() {
        return new ReplicaWriter.Target(cluster, client, this, unmanaged);
    }

    /**
     * The next reconcile sees our write before its watch event arrives. The event, when it comes,
     * replaces this entry with the same or a newer version; an entry is only put where the cache
     * holds nothing or an older version.
     */
    @Override
    public void written(Secret result, boolean created) {
        String key = replicaStore.getKey(result);
        Secret cached = replicaStore.get(key);
        if (cached == null || olderThan(cached, result)) {
            replicaStore.put(key, result);
        }
    }

    private static boolean olderThan(HasMetadata cached, HasMetadata written) {
        try {
            return Long.parseLong(cached.getMetadata().getResourceVersion())
                    < Long.parseLong(written.getMetadata().getResourceVersion());
        } catch (NumberFormatException e) {
            return false; // opaque versions: leave it to the watch
        }
    }

    private static final class Handler<T extends HasMetadata> implements ResourceEventHandler<T> {
        private final Consumer<T> wake;

        Handler(Consumer<T> wake) {
            this.wake = wake;
        }

        @Override
        public void onAdd(T obj) {
            wake.accept(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            if (!oldObj.getMetadata().getResourceVersion().equals(newObj.getMetadata().getResourceVersion())) {
                wake.accept(newObj);
            }
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            wake.accept(obj);
        }
    }
}
