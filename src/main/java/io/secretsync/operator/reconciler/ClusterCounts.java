package io.secretsync.operator.reconciler;

import java.util.LinkedHashMap;
import java.util.Map;

import io.secretsync.operator.crd.v1alpha1.ClusterSyncStatus;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.metrics.SyncMetrics;

/** A status's counts per cluster label, as the metrics publish them: this cluster's is the total minus the remote ones. */
final class ClusterCounts {
    private ClusterCounts() {
    }

    static Map<String, int[]> of(SecretSyncPolicyStatus status) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        int synced = status.getSyncedReplicas();
        int failed = status.getFailedReplicas() == null ? 0 : status.getFailedReplicas();
        if (status.getClusters() != null) {
            for (ClusterSyncStatus c : status.getClusters()) {
                int s = c.getSyncedReplicas() == null ? 0 : c.getSyncedReplicas();
                int f = c.getFailedReplicas() == null ? 0 : c.getFailedReplicas();
                counts.put(c.getName(), new int[] {s, f});
                synced -= s;
                failed -= f;
            }
        }
        counts.put(SyncMetrics.LOCAL, new int[] {synced, failed});
        return counts;
    }
}
