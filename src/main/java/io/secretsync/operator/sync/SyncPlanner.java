package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.ConflictPolicy;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;

/**
 * The heart of the operator: desired state and observed replicas in, writes and conflicts out.
 * Pure: no I/O, no clock, no randomness, so every rule has a table-driven test.
 */
public final class SyncPlanner {

    /**
     * @param sourceNamespaceSecrets every Secret of spec.source.namespace
     * @param namespacesWithObjects namespaces holding an object of a spec.target.namespacesWith kind
     * @param managedReplicas Secrets carrying the managed-by label, of any policy, wherever they are
     * @param unmanagedSecrets Secrets without our label known to sit where a replica should go
     */
    public record Input(String policy, SecretSyncPolicySpec spec, Collection<Secret> sourceNamespaceSecrets,
            Collection<Namespace> namespaces, Set<String> namespacesWithObjects, Collection<Secret> managedReplicas,
            Map<ReplicaKey, Secret> unmanagedSecrets, Set<String> globalExclusions) {
    }

    /** The outcome for one (namespace, secret) pair: nothing to do, a write, or a conflict. */
    public sealed interface Decision {
        /** The replica is as desired. */
        record InSync() implements Decision {
        }

        /** The write that makes the replica as desired. */
        record Write(ReplicaAction action) implements Decision {
        }

        /** The operator must not write there; the failure says why and what to do. */
        record Conflict(ReplicaFailure failure) implements Decision {
        }
    }

    private SyncPlanner() {
    }

    public static Plan plan(Input in) {
        SecretSyncPolicySpec spec = in.spec();
        String sourceNamespace = spec.getSource().getNamespace();
        SourceSelection.Result sources = SourceSelection.select(spec.getSource(), in.sourceNamespaceSecrets());
        SortedSet<String> targets = TargetSelection.select(spec.getTarget(), sourceNamespace, in.namespaces(),
                in.namespacesWithObjects(), in.globalExclusions());

        Map<ReplicaKey, Secret> existing = new HashMap<>(in.unmanagedSecrets());
        in.managedReplicas().forEach(s -> existing.put(ReplicaKey.of(s), s));

        List<ReplicaAction> actions = new ArrayList<>();
        List<ReplicaFailure> conflicts = new ArrayList<>();
        Set<ReplicaKey> wanted = new HashSet<>();
        int inSync = 0;
        for (Secret source : sources.selected()) {
            String hash = ContentHash.of(source);
            for (String ns : targets) {
                Secret desired = Replicas.desired(in.policy(), source, ns, hash);
                ReplicaKey key = ReplicaKey.of(desired);
                wanted.add(key);
                Decision d = decide(in.policy(), desired, existing.get(key), spec.effectiveConflictPolicy());
                if (d instanceof Decision.Write write) {
                    actions.add(write.action());
                } else if (d instanceof Decision.Conflict conflict) {
                    conflicts.add(conflict.failure());
                } else {
                    inSync++;
                }
            }
        }
        for (Secret replica : in.managedReplicas()) {
            if (in.policy().equals(ReplicaMetadata.owningPolicy(replica)) && !wanted.contains(ReplicaKey.of(replica))) {
                actions.add(release(replica, spec.effectiveDeletionPolicy()));
            }
        }
        actions.sort((a, b) -> a.key().compareTo(b.key()));
        return new Plan(sources, targets, actions, conflicts, inSync);
    }

    /** What to do where desired should be and existing (possibly null) is. */
    public static Decision decide(String policy, Secret desired, Secret existing, ConflictPolicy conflictPolicy) {
        ReplicaKey key = ReplicaKey.of(desired);
        if (existing == null) {
            return new Decision.Write(new ReplicaAction(ReplicaAction.Operation.CREATE, key, desired));
        }
        String owner = ReplicaMetadata.owningPolicy(existing);
        if (owner != null && !owner.equals(policy)) {
            return new Decision.Conflict(new ReplicaFailure(key.namespace(), key.name(),
                    FailureReasons.OWNED_BY_ANOTHER_POLICY, "Secret " + key + " is a replica of SecretSyncPolicy "
                            + owner + "; remove it from one of the two policies"));
        }
        if (owner == null && conflictPolicy != ConflictPolicy.Overwrite) {
            return new Decision.Conflict(new ReplicaFailure(key.namespace(), key.name(), FailureReasons.CONFLICT,
                    "Secret " + key + " exists and was not created by secretsync-operator; it is left untouched."
                            + " Delete it, or set conflictPolicy: Overwrite to adopt it"));
        }
        if (Replicas.inSync(existing, desired)) {
            return new Decision.InSync();
        }
        ReplicaAction.Operation op = SecretTypes.of(existing).equals(desired.getType())
                ? ReplicaAction.Operation.UPDATE
                : ReplicaAction.Operation.RECREATE;
        Secret toWrite = op == ReplicaAction.Operation.UPDATE ? Replicas.updated(existing, desired) : desired;
        return new Decision.Write(new ReplicaAction(op, key, toWrite));
    }

    /** Every replica of a policy that is being deleted, released per its deletionPolicy. */
    public static List<ReplicaAction> releaseAll(String policy, Collection<Secret> managedReplicas,
            DeletionPolicy deletionPolicy) {
        return managedReplicas.stream()
                .filter(s -> policy.equals(ReplicaMetadata.owningPolicy(s)))
                .map(s -> release(s, deletionPolicy))
                .sorted((a, b) -> a.key().compareTo(b.key()))
                .toList();
    }

    private static ReplicaAction release(Secret replica, DeletionPolicy deletionPolicy) {
        return deletionPolicy == DeletionPolicy.Orphan
                ? new ReplicaAction(ReplicaAction.Operation.ORPHAN, ReplicaKey.of(replica), Replicas.orphaned(replica))
                : new ReplicaAction(ReplicaAction.Operation.DELETE, ReplicaKey.of(replica), replica);
    }
}
