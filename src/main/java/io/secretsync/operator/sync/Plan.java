package io.secretsync.operator.sync;

import java.util.List;
import java.util.SortedSet;

import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;

/**
 * What one reconcile should do for a policy.
 *
 * @param inSync replicas that need no write
 * @param conflicts pairs the operator must not write, with the reason
 */
public record Plan(SourceSelection.Result sources, SortedSet<String> targets, List<ReplicaAction> actions,
        List<ReplicaFailure> conflicts, int inSync) {
}
