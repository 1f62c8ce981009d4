package io.secretsync.operator.sync;

import java.util.List;

import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;

/**
 * One remote cluster's part of a reconcile: its plan and what applying it did, or why it could not
 * be served. Failures are tagged with the cluster already.
 *
 * @param selected false for a cluster the policy no longer selects whose replicas it releases
 * @param plan null when the cluster could not be planned
 * @param unavailable why the cluster could not be served (ClusterUnreachable, ClusterUnauthorized),
 *        null when it was planned
 */
public record ClusterOutcome(String cluster, boolean selected, Plan plan, List<ReplicaFailure> writeFailures,
        int replicasWritten, int writes, ReplicaFailure unavailable) {

    public static ClusterOutcome unavailable(String cluster, boolean selected, ReplicaFailure why) {
        return new ClusterOutcome(cluster, selected, null, List.of(), 0, 0, why);
    }

    /** Conflicts, refused writes and unavailability, each naming this cluster. */
    public List<ReplicaFailure> failures() {
        if (unavailable != null) {
            return List.of(unavailable);
        }
        return java.util.stream.Stream.concat(plan.conflicts().stream(), writeFailures.stream())
                .map(f -> f.getCluster() == null ? f.inCluster(cluster) : f).toList();
    }

    /** True when nothing of this cluster is left to write or release. */
    public boolean done() {
        return unavailable == null && failures().isEmpty();
    }
}
