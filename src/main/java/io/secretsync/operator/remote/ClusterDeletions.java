package io.secretsync.operator.remote;

import java.util.Set;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.secretsync.operator.crd.v1alpha1.SecretSyncCluster;
import io.secretsync.operator.reconciler.SlimStore;

/**
 * Hears that a SecretSyncCluster is gone, to close its client and drop it from
 * {@link RemoteClusters}. JOSDK calls the reconciler's cleanup before the finalizer goes, but
 * nothing after the object is gone; in a shard, which never removes the finalizer, that is the only
 * moment the cluster may be forgotten. Wakes no reconcile; keeps names only.
 */
final class ClusterDeletions extends InformerEventSource<SecretSyncCluster, SecretSyncCluster> {
    private final ClusterConnections connections;

    private ClusterDeletions(InformerEventSourceConfiguration<SecretSyncCluster> configuration,
            EventSourceContext<SecretSyncCluster> context, ClusterConnections connections) {
        super(configuration, context);
        this.connections = connections;
    }

    static ClusterDeletions create(EventSourceContext<SecretSyncCluster> context, ClusterConnections connections) {
        return new ClusterDeletions(InformerEventSourceConfiguration
                .from(SecretSyncCluster.class, SecretSyncCluster.class)
                .withName("cluster-deletions")
                .withSecondaryToPrimaryMapper(c -> Set.of())
                .withPrimaryToSecondaryMapper(c -> Set.of())
                .withItemStore(new SlimStore<>(ClusterDeletions::nameOnly))
                .build(), context, connections);
    }

    @Override
    public void onDelete(SecretSyncCluster resource, boolean deletedFinalStateUnknown) {
        super.onDelete(resource, deletedFinalStateUnknown);
        connections.forget(resource.getMetadata().getName());
    }

    private static SecretSyncCluster nameOnly(SecretSyncCluster c) {
        SecretSyncCluster slim = new SecretSyncCluster();
        slim.setMetadata(new ObjectMetaBuilder().withName(c.getMetadata().getName())
                .withResourceVersion(c.getMetadata().getResourceVersion()).build());
        return slim;
    }
}
