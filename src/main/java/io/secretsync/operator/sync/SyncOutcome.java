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
        return new Suspended(plan, observed.sourceNamespaceExists(), observed.missingKinds());
    }

    static SyncOutcome synced(Plan plan, Observation observed, List<ReplicaFailure> writeFailures,
            int replicasWritten, int writes) {
        return new Synced(plan, writeFailures, replicasWritten, writes, observed.sourceNamespaceExists(),
                observed.missingKinds());
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
    }

    /** spec.suspend: planned, nothing written. */
    record Suspended(Plan plan, boolean sourceNamespaceExists, Set<String> missingKinds) implements Planned {
    }

    /**
     * Planned and applied.
     *
     * @param writeFailures writes the API server refused
     * @param replicasWritten planned writes that produced an in-sync replica
     * @param writes writes the API server accepted (creates, updates, deletes, orphans)
     */
    record Synced(Plan plan, List<ReplicaFailure> writeFailures, int replicasWritten, int writes,
            boolean sourceNamespaceExists, Set<String> missingKinds) implements Planned {
    }
}
