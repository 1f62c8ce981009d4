package io.secretsync.operator.sync;

import java.util.List;
import java.util.Set;

import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;

/**
 * What one reconcile found and did, as the status composer needs it: an invalid (or unreadable)
 * spec, a reconcile that threw, a suspended policy's plan, or a plan and what applying it did.
 */
public sealed interface SyncOutcome {

    static SyncOutcome invalid(List<String> problems) {
        return new Invalid(problems);
    }

    static SyncOutcome reconcileError(String failure) {
        return new ReconcileError(failure);
    }

    static SyncOutcome suspended(Plan plan, Observation observed) {
        return suspended(plan, observed, List.of());
    }

    static SyncOutcome suspended(Plan plan, Observation observed, List<ClusterOutcome> remotes) {
        return new Suspended(plan, observed.sourceNamespaceExists(), observed.missingKinds(), remotes);
    }

    static SyncOutcome synced(Plan plan, Observation observed, List<ReplicaFailure> writeFailures,
            int replicasWritten, int writes) {
        return synced(plan, observed, writeFailures, replicasWritten, writes, List.of());
    }

    /** @param plan this cluster's plan (without targets when the policy does not select it) */
    static SyncOutcome synced(Plan plan, Observation observed, List<ReplicaFailure> writeFailures,
            int replicasWritten, int writes, List<ClusterOutcome> remotes) {
        return new Synced(plan, writeFailures, replicasWritten, writes, observed.sourceNamespaceExists(),
                observed.missingKinds(), remotes);
    }

    /** Writes the API server refused. */
    default List<ReplicaFailure> writeFailures() {
        return List.of();
    }

    /** spec.target.namespacesWith kinds that are not installed in the cluster. */
    default Set<String> missingKinds() {
        return Set.of();
    }

    /**
     * The spec has problems (or could not be read); nothing was planned.
     *
     * @param problems what is wrong with the spec, never empty
     */
    record Invalid(List<String> problems) implements SyncOutcome {
    }

    /**
     * The reconcile threw.
     *
     * @param failure what failed, without the exception's message (which may quote data)
     */
    record ReconcileError(String failure) implements SyncOutcome {
    }

    /** A valid spec was planned. */
    sealed interface Planned extends SyncOutcome {
        Plan plan();

        /** false when spec.source.namespace is not a namespace (yet). */
        boolean sourceNamespaceExists();

        /** The remote clusters' parts, sorted by cluster name (empty: this cluster only). */
        List<ClusterOutcome> remotes();
    }

    /** spec.suspend: planned, nothing written. */
    record Suspended(Plan plan, boolean sourceNamespaceExists, Set<String> missingKinds,
            List<ClusterOutcome> remotes) implements Planned {

        public Suspended(Plan plan, boolean sourceNamespaceExists, Set<String> missingKinds) {
            this(plan, sourceNamespaceExists, missingKinds, List.of());
        }
    }

    /**
     * Planned and applied.
     *
     * @param writeFailures writes the API server refused
     * @param replicasWritten planned writes that produced an in-sync replica
     * @param writes writes the API server accepted (creates, updates, deletes, orphans)
     */
    record Synced(Plan plan, List<ReplicaFailure> writeFailures, int replicasWritten, int writes,
            boolean sourceNamespaceExists, Set<String> missingKinds, List<ClusterOutcome> remotes)
            implements Planned {

        public Synced(Plan plan, List<ReplicaFailure> writeFailures, int replicasWritten, int writes,
                boolean sourceNamespaceExists, Set<String> missingKinds) {
            this(plan, writeFailures, replicasWritten, writes, sourceNamespaceExists, missingKinds, List.of());
        }

        /** Writes accepted in every cluster. */
        public int allWrites() {
            return writes + remotes.stream().mapToInt(ClusterOutcome::writes).sum();
        }
    }
}
