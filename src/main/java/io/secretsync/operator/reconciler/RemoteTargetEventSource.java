package io.secretsync.operator.reconciler;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.secretsync.operator.crd.v1alpha1.ClusterSyncStatus;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.remote.RemoteCluster;
import io.secretsync.operator.remote.RemoteClusters;

/**
 * The remote clusters policies write into, as one event source: per cluster in use, the caches of
 * {@link RemoteClusterCaches}, whose changes wake the policies concerned; a change of the cluster
 * itself (connected, gone away, new kubeconfig, relabelled) wakes every policy that may use it.
 */
public class RemoteTargetEventSource extends AbstractEventSource<Secret, SecretSyncPolicy> {
    private static final Logger LOG = Logger.getLogger(RemoteTargetEventSource.class);

    private final EventSourceContext<SecretSyncPolicy> context;
    private final Map<String, RemoteClusterCaches> caches = new ConcurrentHashMap<>();

    RemoteTargetEventSource(EventSourceContext<SecretSyncPolicy> context, RemoteClusters clusters) {
        super(Secret.class, "remote-targets");
        this.context = context;
        clusters.onChange(this::wakeUsers);
    }

    /**
     * The caches of a usable cluster, started on first use and restarted when its client changed
     * (a new kubeconfig); empty when the cluster cannot be used now.
     */
    synchronized Optional<RemoteClusterCaches> caches(RemoteCluster cluster) {
        if (!cluster.usable()) {
            return Optional.empty();
        }
        RemoteClusterCaches c = caches.get(cluster.name());
        if (c != null && c.client() != cluster.client()) {
            c.stop();
            c = null;
        }
        if (c == null) {
            c = new RemoteClusterCaches(cluster.name(), cluster.client(), policy -> wake(cluster.name(), policy));
            c.start();
            caches.put(cluster.name(), c);
        }
        return Optional.of(c);
    }

    /** The caches of a cluster, when they run (nothing is started). */
    synchronized Optional<RemoteClusterCaches> running(String cluster) {
        return Optional.ofNullable(caches.get(cluster));
    }

    /** Stops the caches of clusters no policy uses any more; returns the clusters it stopped. */
    synchronized Set<String> retain(Set<String> inUse) {
        Set<String> stopped = new HashSet<>();
        caches.keySet().removeIf(name -> {
            if (inUse.contains(name)) {
                return false;
            }
            caches.get(name).stop();
            stopped.add(name);
            return true;
        });
        return stopped;
    }

    @Override
    public synchronized void stop() {
        caches.values().forEach(RemoteClusterCaches::stop);
        caches.clear();
        super.stop();
    }

    @Override
    public Set<Secret> getSecondaryResources(SecretSyncPolicy primary) {
        return Set.of(); // the reconciler reads the caches directly
    }

    /** policy null: something every policy using the cluster plans from changed. */
    private void wake(String cluster, String policy) {
        if (getEventHandler() == null) {
            return;
        }
        if (policy != null) {
            getEventHandler().handleEvent(new Event(new ResourceID(policy)));
        } else {
            wakeUsers(cluster);
        }
    }

    private void wakeUsers(String cluster) {
        if (getEventHandler() == null || !isRunning()) {
            return;
        }
        LOG.debugf("cluster %s changed; reconciling the policies that may use it", cluster);
        context.getPrimaryCache().list(p -> mayUse(p, cluster))
                .forEach(p -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(p))));
    }

    /** Names it, selects clusters by label, or still has replicas there to release. */
    static boolean mayUse(SecretSyncPolicy p, String cluster) {
        boolean targets = p.getSpec() != null && p.getSpec().getTarget() != null
                && p.getSpec().getTarget().getClusters() != null;
        boolean listed = p.getStatus() != null && p.getStatus().getClusters() != null
                && p.getStatus().getClusters().stream().map(ClusterSyncStatus::getName).anyMatch(cluster::equals);
        return targets || listed;
    }
}
