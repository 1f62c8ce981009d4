package io.secretsync.operator.remote;

import io.secretsync.operator.crd.v1alpha1.SecretSyncClusterStatus;
import io.secretsync.operator.sync.Conditions;

/** The status a user sees for a SecretSyncCluster, from what the operator knows of it. Pure. */
final class ClusterStatusComposer {
    private ClusterStatusComposer() {
    }

    /**
     * @param releasePending while the SecretSyncCluster is being deleted: why its finalizer stays
     *        (the release waits for the cluster, or some releases failed); null otherwise
     */
    static SecretSyncClusterStatus compose(SecretSyncClusterStatus previous, long generation, RemoteCluster cluster,
            String releasePending, String now) {
        boolean connected = cluster.state() == ClusterState.Connected;
        String message;
        if (releasePending != null) {
            message = "being deleted: " + releasePending;
        } else if (connected) {
            message = "connected" + (cluster.serverVersion() == null ? "" : " to Kubernetes " + cluster.serverVersion());
        } else {
            message = cluster.message();
        }
        SecretSyncClusterStatus next = new SecretSyncClusterStatus();
        next.setObservedGeneration(generation);
        next.setServerVersion(connected ? cluster.serverVersion() : null);
        next.setConditions(Conditions.set(previous == null ? null : previous.getConditions(), Conditions.READY,
                connected && releasePending == null, cluster.state().name(), message, generation, now));
        return next;
    }
}
