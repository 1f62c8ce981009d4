package io.secretsync.operator.sync;

import java.util.List;
import java.util.Set;

import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;

/**
 * What one reconcile found and did, as the status composer needs it.
 *
 * @param problems spec problems; non-empty means nothing was planned
 * @param plan null when the spec is invalid
 * @param writeFailures writes the API server refused
 * @param replicasWritten planned writes that produced an in-sync replica
 * @param writes writes the API server accepted (creates, updates, deletes, orphans)
 * @param sourceNamespaceExists false when spec.source.namespace is not a namespace (yet)
 * @param missingKinds spec.target.namespacesWith kinds that are not installed in the cluster
 */
public record SyncOutcome(List<String> problems, boolean suspended, Plan plan, List<ReplicaFailure> writeFailures,
        int replicasWritten, int writes, boolean sourceNamespaceExists, Set<String> missingKinds) {

    public SyncOutcome(List<String> problems, boolean suspended, Plan plan, List<ReplicaFailure> writeFailures,
            int replicasWritten, int writes, boolean sourceNamespaceExists) {
        this(problems, suspended, plan, writeFailures, replicasWritten, writes, sourceNamespaceExists, Set.of());
    }

    public static SyncOutcome invalid(List<String> problems) {
        return new SyncOutcome(problems, false, null, List.of(), 0, 0, true);
    }
}
