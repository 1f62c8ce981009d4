package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;

/** The status of a deleted policy whose release waits for remote clusters that cannot be reached. */
public final class ReleaseStatus {
    private ReleaseStatus() {
    }

    /** @param waits one failure per cluster (or replica) the release waits for, each naming its cluster */
    public static SecretSyncPolicyStatus waiting(SecretSyncPolicyStatus previous, long generation,
            List<ReplicaFailure> waits, DeletionPolicy deletionPolicy, String now) {
        SecretSyncPolicyStatus prev = previous == null ? new SecretSyncPolicyStatus() : previous;
        SecretSyncPolicyStatus next = new SecretSyncPolicyStatus();
        next.setObservedGeneration(generation);
        next.setSourceSecrets(prev.getSourceSecrets());
        next.setTargetNamespaces(prev.getTargetNamespaces());
        next.setSyncedReplicas(prev.getSyncedReplicas());
        next.setClusters(prev.getClusters());
        List<ReplicaFailure> failures = new ArrayList<>(waits);
        failures.sort(Comparator.comparing(ReplicaFailure::getCluster, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(ReplicaFailure::getNamespace, Comparator.nullsFirst(Comparator.naturalOrder())));
        next.setFailedReplicas(failures.size());
        next.setFailures(List.copyOf(failures.subList(0, Math.min(StatusComposer.MAX_FAILURES, failures.size()))));
        String clusters = failures.stream().map(ReplicaFailure::getCluster).distinct().collect(Collectors.joining(", "));
        next.setConditions(Conditions.set(prev.getConditions(), Conditions.READY, false, ReadyReasons.PARTIALLY_SYNCED,
                "being deleted: its replicas are " + (deletionPolicy == DeletionPolicy.Orphan ? "orphaned" : "deleted")
                        + " everywhere else; the release in cluster" + (clusters.contains(",") ? "s " : " ") + clusters
                        + " waits until it can be reached (the policy keeps its finalizer until then), see"
                        + " status.failures",
                generation, now));
        next.setLastSyncTime(next.sameStateAs(prev) && prev.getLastSyncTime() != null ? prev.getLastSyncTime() : now);
        return next;
    }
}
